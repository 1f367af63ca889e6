"""The forms of the review: status, classification, feedback, comments, merging, bulk actions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..areas.models import Area
from ..categories.models import Category
from ..extensions import db
from ..labels import PLACE_TYPE_LABELS, STATUS_LABELS, choices
from ..observations.forms import UUIDField
from .service import REJECTED


def category_choices() -> dict[str, list[tuple[str, str]]]:
    """Return the active categories grouped under their main category (an optgroup each)."""
    mains = db.session.scalars(
        db.select(Category)
        .filter_by(parent_id=None, active=True)
        .order_by(Category.position)
        .options(selectinload(Category.children))
    )
    return {
        main.name: [
            (main.code, _l("%(name)s, no sub-category", name=main.name)),
            *((child.code, child.name) for child in main.children if child.active),
        ]
        for main in mains
    }


def area_choices() -> list[tuple[str, str]]:
    """Return "from the boundaries" and every area by name."""
    areas = db.session.scalars(db.select(Area).order_by(Area.name))
    return [("", _l("From the boundaries (automatic)"))] + [(str(a.id), a.name) for a in areas]


class StatusForm(FlaskForm):
    """Move an observation along the EST workflow."""

    status = SelectField(_l("New status"), choices=lambda: choices(STATUS_LABELS))
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Needed when rejecting; recorded in the history when reopening."),
        validators=[Length(max=1000)],
    )

    def validate_reason(self, field):
        if self.status.data == REJECTED and not (field.data or "").strip():
            raise ValidationError(_l("Say why the observation is rejected."))


class ClassifyForm(FlaskForm):
    """Correct what the observation is and where it belongs."""

    category = SelectField(_l("Category"), choices=category_choices)
    place_type = SelectField(
        _l("Kind of place"), choices=lambda: [("", "—"), *choices(PLACE_TYPE_LABELS)]
    )
    area = SelectField(_l("Area"), choices=area_choices)

    def chosen_category(self) -> Category:
        return db.session.scalar(db.select(Category).filter_by(code=self.category.data))

    def chosen_area(self) -> Area | None:
        return db.session.get(Area, int(self.area.data)) if self.area.data else None


class FeedbackForm(FlaskForm):
    """Feedback to the reporter (återkoppling), shown in "My reports" and on the receipt page."""

    feedback = TextAreaField(
        _l("Feedback to the reporter"),
        description=_l("The reporter sees this. Do not write names or other personal data."),
        validators=[Optional(), Length(max=2000)],
    )


class PoliceForm(FlaskForm):
    """Whether the matter has been reported to the police."""

    police_reported = BooleanField(_l("Reported to the police"))


class CommentForm(FlaskForm):
    """A partner's comment on an observation."""

    body = TextAreaField(_l("Comment"), validators=[InputRequired(), Length(max=2000)])
    visibility = RadioField(
        _l("Who may read it"),
        choices=lambda: [
            ("shared", _l("The EST group (all partners)")),
            ("internal", _l("Only my organisation")),
        ],
        default="shared",
    )


class MergeForm(FlaskForm):
    """Merge this observation into another (the original)."""

    original = UUIDField(validators=[InputRequired()])


class UnmergeForm(FlaskForm):
    """Undo a merge."""


class BulkForm(FlaskForm):
    """One action on the observations ticked in the inbox."""

    ids = SelectMultipleField(choices=list, validate_choice=False, coerce=str)
    action = SelectField(
        _l("Action"),
        choices=lambda: [
            ("status", _l("Set status")),
            ("category", _l("Set category")),
            ("accepted", _l("Accept public submissions")),
            ("spam", _l("Mark public submissions as spam")),
        ],
    )
    status = SelectField(_l("Status"), choices=lambda: choices(STATUS_LABELS))
    category = SelectField(_l("Category"), choices=category_choices)
    reason = HiddenField()
    next = HiddenField()

    def validate_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Tick at least one observation."))

    def validate_status(self, field):
        if self.action.data == "status" and field.data == REJECTED:
            raise ValidationError(_l("Reject observations one at a time, each with its reason."))
