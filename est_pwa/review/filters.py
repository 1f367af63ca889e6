"""The filters of the review inbox, shared by the map and the exports: one form, one query."""

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import exists, literal, or_, tuple_
from sqlalchemy.orm import selectinload
from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.models import Organisation
from ..areas.models import Area
from ..categories.models import Category
from ..clock import STOCKHOLM
from ..extensions import db
from ..labels import KIND_LABELS, STATUS_LABELS, choices
from ..observations.models import Observation, Photo
from ..permissions import observation_scope

PAGE_SIZE = 50
# Sort key → (column, descending).
SORTS = {
    "new": (Observation.created_at, True),
    "old": (Observation.created_at, False),
    "occurred_new": (Observation.occurred_at, True),
    "occurred_old": (Observation.occurred_at, False),
}


def _sort_choices():
    return [
        ("new", _l("Latest received first")),
        ("old", _l("Oldest received first")),
        ("occurred_new", _l("Latest occurred first")),
        ("occurred_old", _l("Earliest occurred first")),
    ]


def _category_choices():
    rows = db.session.scalars(
        db.select(Category)
        .filter_by(parent_id=None)
        .order_by(Category.position, Category.id)
        .options(selectinload(Category.children))
    )
    found = [("", _l("All categories"))]
    for main in rows:
        found.append((main.code, main.name))
        found.extend((child.code, f"– {child.name}") for child in main.children)
    return found


def _area_choices():
    areas = db.session.scalars(db.select(Area).order_by(Area.name))
    return [("", _l("All areas")), ("none", _l("Outside every area"))] + [
        (str(area.id), area.name) for area in areas
    ]


def _organisation_choices():
    organisations = db.session.scalars(db.select(Organisation).order_by(Organisation.name))
    return [("", _l("All organisations"))] + [(str(o.id), o.name) for o in organisations]


def _source_choices():
    return [("", _l("All sources"))] + choices(KIND_LABELS)


def _moderation_choices():
    return [
        ("", _l("Accepted and waiting")),
        ("pending", _l("Waiting for moderation")),
        ("accepted", _l("Accepted only")),
        ("spam", _l("Spam")),
    ]


def _photo_choices():
    return [("", _l("With or without photos")), ("yes", _l("With photos")), ("no", _l("No photos"))]


def _merged_choices():
    return [("", _l("Not merged duplicates")), ("all", _l("Also merged duplicates"))]


class ObservationFilter(FlaskForm):
    """What the inbox, the map and the exports show; read from the query string."""

    class Meta:
        csrf = False

    status = SelectMultipleField(
        _l("Status"),
        choices=lambda: choices(STATUS_LABELS),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    category = SelectField(
        _l("Category"), choices=_category_choices, validate_choice=False, default=""
    )
    area = SelectField(_l("Area"), choices=_area_choices, validate_choice=False, default="")
    source = SelectField(_l("Source"), choices=_source_choices, default="")
    organisation = SelectField(
        _l("Organisation"), choices=_organisation_choices, validate_choice=False, default=""
    )
    date_from = DateField(_l("From (date)"), validators=[Optional()])
    date_to = DateField(_l("To (date)"), validators=[Optional()])
    photos = SelectField(_l("Photos"), choices=_photo_choices, default="")
    moderation = SelectField(_l("Public submissions"), choices=_moderation_choices, default="")
    merged = SelectField(_l("Duplicates"), choices=_merged_choices, default="")
    q = StringField(_l("Search text"), validators=[Optional(), Length(max=200)])
    sort = SelectField(_l("Order"), choices=_sort_choices, default="new")

    def validate_category(self, field):
        if field.data and self.category_ids() is None:
            raise ValidationError(_l("Choose a category from the list."))

    def validate_area(self, field):
        if field.data not in ("", "none", None) and not _is_id(field.data):
            raise ValidationError(_l("Choose an area from the list."))

    def validate_organisation(self, field):
        if field.data and not _is_id(field.data):
            raise ValidationError(_l("Choose an organisation from the list."))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The last day comes before the first."))

    def category_ids(self) -> list[int] | None:
        """Return the ids of the chosen category and its sub-categories (None if unknown)."""
        category = db.session.scalar(db.select(Category).filter_by(code=self.category.data))
        if category is None:
            return None
        return [category.id, *(child.id for child in category.children)]

    def conditions(self) -> list:
        """Return the SQL conditions of the valid fields (an invalid field filters nothing)."""
        found = [_moderation_condition(self.moderation.data)]
        if self.merged.data != "all":
            found.append(Observation.duplicate_of_id.is_(None))
        for name, condition in self._field_conditions():
            if getattr(self, name).data and not getattr(self, name).errors:
                found.append(condition())
        return found

    def _field_conditions(self):
        return [
            ("status", lambda: Observation.status.in_(self.status.data)),
            ("category", lambda: Observation.category_id.in_(self.category_ids())),
            ("area", self._area_condition),
            ("source", lambda: Observation.source == self.source.data),
            ("organisation", lambda: Observation.organisation_id == int(self.organisation.data)),
            ("date_from", lambda: Observation.occurred_at >= _day_start(self.date_from.data)),
            ("date_to", lambda: Observation.occurred_at < _day_start(self.date_to.data, 1)),
            ("photos", self._photo_condition),
            ("q", self._text_condition),
        ]

    def _area_condition(self):
        if self.area.data == "none":
            return Observation.area_id.is_(None)
        return Observation.area_id == int(self.area.data)

    def _photo_condition(self):
        with_photos = exists().where(Photo.observation_id == Observation.id)
        return with_photos if self.photos.data == "yes" else ~with_photos

    def _text_condition(self):
        pattern = f"%{self.q.data.strip()}%"
        return or_(Observation.description.ilike(pattern), Observation.place_text.ilike(pattern))

    def query_args(self, **changes) -> dict:
        """Return the filter as query-string arguments (for links that keep it)."""
        found = {}
        for field in self:
            value = changes.get(field.name, field.data)
            if field.name == "status":
                found[field.name] = list(value or [])
            elif value not in (None, "", False):
                found[field.name] = value.isoformat() if isinstance(value, date) else value
        return found


def filter_from_request() -> ObservationFilter:
    """Return the filter in the request's query string, validated (errors filter nothing)."""
    form = ObservationFilter(formdata=request.args)
    form.validate()
    return form


def _is_id(value: str) -> bool:
    return value.isdigit() and int(value) < 2**31


def _moderation_condition(state: str):
    if state in ("pending", "accepted", "spam"):
        return Observation.moderation == state
    return Observation.moderation != "spam"


def _day_start(day: date, plus_days: int = 0) -> datetime:
    local = datetime.combine(day + timedelta(days=plus_days), time(), tzinfo=STOCKHOLM)
    return local.astimezone(UTC)


def filtered_select(form: ObservationFilter, user):
    """Return the select of the observations ``user`` may see that match ``form``."""
    return db.select(Observation).where(observation_scope(user), *form.conditions())


@dataclass
class Page:
    """One page of a keyset-paginated list."""

    items: list
    next_cursor: str | None


def paginate(query, sort: str, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """Return the page of ``query`` after ``cursor`` in ``sort`` order (keyset: fast at depth)."""
    column, descending = SORTS.get(sort, SORTS["new"])
    after = decode_cursor(cursor)
    if after is not None:
        key = tuple_(column, Observation.id)
        position = tuple_(literal(after[0], column.type), literal(after[1], Observation.id.type))
        query = query.where(key < position if descending else key > position)
    order = (column.desc(), Observation.id.desc()) if descending else (column, Observation.id)
    items = db.session.scalars(query.order_by(*order).limit(size + 1)).all()
    more = len(items) > size
    items = items[:size]
    last = items[-1] if more else None
    return Page(items, encode_cursor(getattr(last, column.key), last.id) if last else None)


def encode_cursor(moment: datetime, observation_id: uuid.UUID) -> str:
    """Return an opaque cursor for the row at (``moment``, ``observation_id``)."""
    raw = f"{moment.astimezone(UTC).isoformat()}|{observation_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """Return the position in ``cursor``; None for no cursor or a damaged one (the first page)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, observation_id = raw.split("|")
        found = datetime.fromisoformat(moment)
        if found.tzinfo is None:
            return None
        return found.astimezone(UTC), uuid.UUID(observation_id)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None
