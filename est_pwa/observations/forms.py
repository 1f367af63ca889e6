"""The observation form: one class validates the HTML post and the JSON the outbox sends."""

import json
import uuid
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import bindparam
from sqlalchemy.orm import aliased
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    Field,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from ..areas.models import Area
from ..categories.models import Category
from ..clock import STOCKHOLM, now_utc, to_local
from ..extensions import db
from ..labels import AGE_GROUP_LABELS, PLACE_TYPE_LABELS, choices
from ..permissions import can
from ..walks.checklist import clean_answers
from ..walks.models import SafetyWalk

CLOCK_SKEW = timedelta(minutes=5)
_PARENT = aliased(Category)
# An active category whose main category, if any, is active too. Built once: making the
# statement costs more than running it, on every request of the sync API.
USABLE_CATEGORY = (
    db.select(Category)
    .outerjoin(_PARENT, Category.parent)
    .where(Category.code == bindparam("code"), Category.active)
    .where(_PARENT.id.is_(None) | _PARENT.active)
)


class DateTimeWithOffsetField(Field):
    """An ISO 8601 time with its UTC offset, stored as aware UTC."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return to_local(self.data).strftime("%Y-%m-%dT%H:%M") if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in ("", None):
            self.data = None
            return
        try:
            moment = datetime.fromisoformat(str(valuelist[0]).replace("Z", "+00:00"))
        except ValueError:
            self.data = None
            raise ValueError(_l("Give the time as ISO 8601 with an offset.")) from None
        # A time without offset comes from a plain HTML form and is Swedish local time.
        self.data = (moment if moment.tzinfo else moment.replace(tzinfo=STOCKHOLM)).astimezone(UTC)


class UUIDField(StringField):
    """A UUID made by the device."""

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in ("", None):
            self.data = None
            return
        try:
            self.data = uuid.UUID(str(valuelist[0]))
        except ValueError:
            self.data = None
            raise ValueError(_l("Not a valid identifier (UUID).")) from None


class ChecklistAnswersField(Field):
    """A walk's checklist answers for one stop: ``{item key: answer}``.

    The outbox sends them as one JSON object; the HTML form as radio groups ``checklist-<key>``.
    """

    def process(self, formdata, data=unset_value, extra_filters=None):
        if formdata is not None and self.name not in formdata:
            prefix = f"{self.name}-"
            radios = {
                key.removeprefix(prefix): formdata.get(key)
                for key in formdata
                if key.startswith(prefix)
            }
            formdata = MultiDict({self.name: json.dumps(radios)} if radios else {})
        super().process(formdata, data, extra_filters)

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or valuelist[0] in ("", None):
            return
        try:
            answers = json.loads(valuelist[0])
        except (TypeError, ValueError):
            answers = None
        if not isinstance(answers, dict):
            raise ValueError(_l("The checklist answers must be an object of item and answer."))
        self.data = answers


def _blank_choice(labels: dict):
    return lambda: [("", "—"), *choices(labels)]


def _one_of(labels: dict) -> AnyOf:
    # Checking the code directly spares translating every label on each sync request.
    return AnyOf(list(labels), message=_l("Not a valid choice."))


class ObservationForm(FlaskForm):
    """What a reporter captures about one observation."""

    id = UUIDField(_l("Identifier"), validators=[InputRequired()])
    occurred_at = DateTimeWithOffsetField(_l("When"), validators=[InputRequired()])
    lat = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90)])
    lon = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)])
    area_id = IntegerField(_l("Area"), validators=[Optional()])
    accuracy_m = FloatField(_l("Accuracy (m)"), validators=[Optional(), NumberRange(0, 100_000)])
    category = StringField(_l("Category"), validators=[InputRequired(), Length(max=64)])
    place_text = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    place_type = SelectField(
        _l("Kind of place"),
        choices=_blank_choice(PLACE_TYPE_LABELS),
        validate_choice=False,
        validators=[Optional(), _one_of(PLACE_TYPE_LABELS)],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    persons_count = IntegerField(
        _l("Number of persons"), validators=[Optional(), NumberRange(0, 1000)]
    )
    age_group = SelectField(
        _l("Age group"),
        choices=_blank_choice(AGE_GROUP_LABELS),
        validate_choice=False,
        validators=[Optional(), _one_of(AGE_GROUP_LABELS)],
    )
    assessment = IntegerField(
        _l("How unsafe did it feel?"), validators=[Optional(), NumberRange(1, 3)]
    )
    police_reported = BooleanField(_l("Reported to the police"))
    walk_id = UUIDField(_l("Safety walk"), validators=[Optional()])
    checklist = ChecklistAnswersField(_l("Checklist"))

    def validate_occurred_at(self, field):
        if field.data is None:
            return
        if field.data > now_utc() + CLOCK_SKEW:
            raise ValidationError(_l("The time lies in the future."))
        max_days = current_app.config["OBSERVATION_MAX_AGE_DAYS"]
        if field.data < now_utc() - timedelta(days=max_days):
            raise ValidationError(_l("The time is more than %(n)s days ago.", n=max_days))

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields, then require a position or an area."""
        valid = super().validate(extra_validators)
        self.area_obj = getattr(self, "area_obj", None)
        if (self.lat.data is None or self.lon.data is None) and not self.area_id.data:
            self.lat.errors.append(_l("Give the position or choose an area."))
            return False
        return valid

    def validate_walk_id(self, field):
        if field.data is None:
            return  # not a UUID: said already
        self.walk_obj = db.session.get(SafetyWalk, field.data)
        if self.walk_obj is None:
            raise ValidationError(_l("Unknown safety walk."))
        if not can(current_user, "walk.join", self.walk_obj):
            raise ValidationError(_l("This safety walk takes no more reports."))

    def validate_checklist(self, field):
        walk = getattr(self, "walk_obj", None)
        if not field.data or self.walk_id.errors:
            field.data = None
            return
        if walk is None:
            raise ValidationError(_l("Checklist answers need a safety walk."))
        field.data, problems = clean_answers(field.data, walk.checklist)
        field.errors.extend(problems)
        field.data = field.data or None

    def validate_area_id(self, field):
        self.area_obj = db.session.get(Area, field.data) if field.data else None
        if field.data and self.area_obj is None:
            raise ValidationError(_l("Unknown area."))

    def validate_lat(self, field):
        south, west, north, east = current_app.config["MAP_BOUNDS"]
        if field.data is None or self.lon.data is None:
            return
        if not (south <= field.data <= north and west <= self.lon.data <= east):
            raise ValidationError(
                _l(
                    "The position lies outside %(place)s.",
                    place=current_app.config["MUNICIPALITY_NAME"],
                )
            )

    def validate_category(self, field):
        category = db.session.scalar(USABLE_CATEGORY, {"code": field.data})
        if category is None:
            raise ValidationError(_l("Unknown category."))
        self.category_obj = category

    def position(self) -> tuple[float, float, float | None]:
        """Return (lat, lon, accuracy in m): the device's, or the chosen area's centre."""
        if self.lat.data is not None and self.lon.data is not None:
            return self.lat.data, self.lon.data, self.accuracy_m.data
        return self.area_obj.centre()
