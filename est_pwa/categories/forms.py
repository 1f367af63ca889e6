"""Forms for the category tree."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp


class CategoryForm(FlaskForm):
    """A category: its stable code (fixed once saved), names, parent and order."""

    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[A-Z][A-Z0-9_]*$", message=_l("Use A–Z, digits and _ only.")),
        ],
        description=_l(
            "Stable across versions, e.g. SKADEGORELSE_KLOTTER. Cannot be changed later."
        ),
    )
    name_sv = StringField(_l("Name in Swedish"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    parent_id = SelectField(_l("Main category"), coerce=int)
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(0, 999)])
    active = BooleanField(_l("Active"), default=True)
