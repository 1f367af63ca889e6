"""The form a coordinator plans (and later closes) a safety walk with."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.models import Organisation
from ..areas.geometry import GeometryError, parse_route_points
from ..areas.models import Area
from ..extensions import db
from ..labels import WALK_KIND_LABELS, WALK_STATUS_LABELS, choices
from ..observations.forms import DateTimeWithOffsetField
from .checklist import KEY_PATTERN, key_for
from .models import SafetyWalk

BLANK_QUESTIONS = 3  # empty rows under the checklist, for new questions without script
MAX_QUESTIONS = 30


def known_organisations() -> list[str]:
    """Return the names of the active organisations, for the participants' check boxes."""
    query = db.select(Organisation.name).filter_by(active=True).order_by(Organisation.name)
    return list(db.session.scalars(query))


def _optional_int(value):
    return int(value) if value not in ("", None) else None


class ChecklistItemForm(Form):
    """One question of the checklist; its key stays when the wording changes."""

    key = HiddenField()
    label_sv = StringField(_l("Question in Swedish"), validators=[Length(max=120)])
    label_en = StringField(_l("Question in English (optional)"), validators=[Length(max=120)])
    scale = SelectField(
        _l("Answered with"),
        choices=lambda: [("ok", _l("Good / Deficient")), ("1-5", _l("A rating from 1 to 5"))],
    )

    def is_blank(self) -> bool:
        """Return whether the row is empty (a new question left unwritten, or one removed)."""
        return not (self.label_sv.data or "").strip() and not (self.label_en.data or "").strip()

    def validate_label_sv(self, field):
        if not self.is_blank() and not field.data.strip():
            raise ValidationError(_l("Write the question in Swedish."))

    def validate_key(self, field):
        if field.data and not KEY_PATTERN.match(field.data):
            raise ValidationError(_l("Not a valid question key."))


class WalkForm(FlaskForm):
    """Title, time, area, route, who takes part, the checklist and the walk's status."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)])
    starts_at = DateTimeWithOffsetField(_l("Date and time"), validators=[InputRequired()])
    kind = RadioField(_l("Day or night"), choices=lambda: choices(WALK_KIND_LABELS), default="dag")
    area_id = SelectField(
        _l("Area"), coerce=_optional_int, validate_choice=False, validators=[Optional()]
    )
    route = TextAreaField(
        _l("Route"),
        validators=[Length(max=50_000)],
        description=_l(
            "One point per line as latitude, longitude, in walking order "
            "(e.g. 59.1277, 15.1434). Click on the map to add points."
        ),
    )
    organisation_names = SelectMultipleField(
        _l("Organisations taking part"),
        coerce=str,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    other_organisations = TextAreaField(
        _l("Other participants"),
        validators=[Length(max=2000)],
        description=_l("One per line, e.g. the tenants' association or the youth centre."),
    )
    participants_count = IntegerField(
        _l("Number of participants"), validators=[Optional(), NumberRange(0, 10_000)]
    )
    checklist = FieldList(FormField(ChecklistItemForm), max_entries=MAX_QUESTIONS + BLANK_QUESTIONS)
    notes = TextAreaField(_l("Notes for the protocol"), validators=[Length(max=4000)])
    status = SelectField(
        _l("Status"), choices=lambda: choices(WALK_STATUS_LABELS), default="planerad"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = db.session.scalars(db.select(Area).order_by(Area.name)).all()
        area_choices = [("", _l("— no area —")), *((a.id, a.name) for a in areas)]
        organisation_choices = [(name, name) for name in known_organisations()]
        # Choices as callables, like the other forms: WTForms warns about plain lists of tuples.
        self.area_id.choices = lambda: area_choices
        self.organisation_names.choices = lambda: organisation_choices

    def validate_area_id(self, field):
        if field.data is not None and db.session.get(Area, field.data) is None:
            raise ValidationError(_l("Unknown area."))

    def validate_route(self, field):
        try:
            self.route_geometry = parse_route_points(
                field.data or "", current_app.config["MAP_BOUNDS"]
            )
        except GeometryError as error:
            raise ValidationError(str(error)) from None

    def validate_checklist(self, field):
        rows = [entry.form for entry in field.entries if not entry.form.is_blank()]
        if len(rows) > MAX_QUESTIONS:
            raise ValidationError(_l("At most %(n)s questions.", n=MAX_QUESTIONS))
        keys = [row.key.data for row in rows if row.key.data]
        if len(keys) != len(set(keys)):
            raise ValidationError(_l("Two questions have the same key."))

    def checklist_items(self) -> list[dict]:
        """Return the written questions, each with a stable key (new ones get one)."""
        rows = [entry.form for entry in self.checklist.entries if not entry.form.is_blank()]
        taken = {row.key.data for row in rows if row.key.data}
        items = []
        for row in rows:
            label_sv = row.label_sv.data.strip()
            key = row.key.data or key_for(label_sv, taken)
            taken.add(key)
            label_en = (row.label_en.data or "").strip() or label_sv
            items.append(
                {"key": key, "label_sv": label_sv, "label_en": label_en, "scale": row.scale.data}
            )
        return items

    def organisations_text(self) -> str:
        """Return everyone taking part, one per line: the chosen organisations, then the others."""
        others = (self.other_organisations.data or "").splitlines()
        names = [*self.organisation_names.data, *(line.strip() for line in others)]
        return "\n".join(dict.fromkeys(name for name in names if name))

    def walk_fields(self) -> dict:
        """Return the validated values as the SafetyWalk's columns."""
        return {
            "title": self.title.data.strip(),
            "starts_at": self.starts_at.data,
            "kind": self.kind.data,
            "area_id": self.area_id.data,
            "route": self.route_geometry,
            "organisations": self.organisations_text(),
            "participants_count": self.participants_count.data,
            "checklist": self.checklist_items(),
            "notes": (self.notes.data or "").strip(),
            "status": self.status.data,
        }


def route_lines(route: dict | None) -> str:
    """Return a route LineString as lines of ``lat, lon`` for the text field."""
    if not route:
        return ""
    return "\n".join(f"{lat:.6f}, {lon:.6f}" for lon, lat in route["coordinates"])


def form_data(walk: SafetyWalk) -> dict:
    """Return what the form shows for ``walk``: its values and a few blank question rows."""
    taking_part = [name.strip() for name in walk.organisations.splitlines() if name.strip()]
    known = set(known_organisations())
    return {
        "title": walk.title,
        "starts_at": walk.starts_at,
        "kind": walk.kind,
        "area_id": walk.area_id,
        "route": route_lines(walk.route),
        "organisation_names": [name for name in taking_part if name in known],
        "other_organisations": "\n".join(name for name in taking_part if name not in known),
        "participants_count": walk.participants_count,
        "checklist": [*walk.checklist, *({} for _ in range(BLANK_QUESTIONS))],
        "notes": walk.notes,
        "status": walk.status,
    }
