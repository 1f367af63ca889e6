"""The public form: where, safe or unsafe, why, when — and nothing a resident need not give."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError

from ..categories.models import Category
from ..extensions import db
from ..labels import FEELING_LABELS, TIME_OF_DAY_LABELS, choices
from ..observations.forms import ObservationForm
from ..observations.models import FEELINGS, TIMES_OF_DAY
from .topics import CODES, topic_choices


class PublicObservationForm(ObservationForm):
    """A resident's observation; staff-only fields are removed."""

    category = None
    persons_count = None
    age_group = None
    assessment = None
    police_reported = None
    walk_id = None
    place_type = None

    topic = RadioField(_l("What is it about?"), choices=topic_choices, validators=[InputRequired()])
    feeling = RadioField(
        _l("How does the place feel?"),
        choices=lambda: choices(FEELING_LABELS),
        validators=[InputRequired()],
    )
    time_of_day = RadioField(
        _l("When does it concern?"),
        choices=lambda: choices(TIME_OF_DAY_LABELS),
        validate_choice=False,
        validators=[Optional()],
    )
    contact_email = EmailField(
        _l("E-mail for feedback (optional)"),
        validators=[Optional(), Email(), Length(max=254)],
    )
    # A field people never see: only form-filling robots put something in it.
    website = StringField(_l("Leave this field empty"), validators=[Optional(), Length(max=200)])
    campaign = StringField(validators=[Optional(), Length(max=80)])

    def validate_topic(self, field):
        code = CODES.get(field.data)
        category = db.session.scalar(db.select(Category).filter_by(code=code)) if code else None
        if category is None or not category.active:
            raise ValidationError(_l("Choose what it is about."))
        self.category_obj = category

    def validate_feeling(self, field):
        if field.data not in FEELINGS:
            raise ValidationError(_l("Choose safe or unsafe."))

    def validate_time_of_day(self, field):
        if field.data and field.data not in TIMES_OF_DAY:
            raise ValidationError(_l("Choose day, evening or night."))


class CampaignForm(FlaskForm):
    """A campaign: its address, title, intro, area and period."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=160)])
    slug = StringField(
        _l("Web address"),
        validators=[
            InputRequired(),
            Length(max=80),
            Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Use a–z, digits and dashes only.")),
        ],
        description=_l("The last part of the link, e.g. hosten-2026-kvarnparken."),
    )
    intro = TextAreaField(_l("Introduction"), validators=[Length(max=4000)])
    area_id = SelectField(_l("Area"), coerce=int)
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired()])

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day comes before the first."))


class ModerationForm(FlaskForm):
    """A selection of public observations and what to do with them."""

    ids = SelectMultipleField(_l("Observations"), choices=list, validate_choice=False)
    action = RadioField(choices=lambda: [("accepted", _l("Accept")), ("spam", _l("Spam"))])
