"""Forms for users and organisations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..accounts.models import ORGANISATION_KINDS
from ..labels import KIND_LABELS, ROLE_LABELS, choices


def role_choices():
    """Return (code, label) pairs for the roles in the request's language."""
    return choices(ROLE_LABELS)


def kind_choices():
    """Return (code, label) pairs for the organisation kinds."""
    return choices({kind: KIND_LABELS[kind] for kind in ORGANISATION_KINDS})


class OrganisationForm(FlaskForm):
    """Name, kind and whether the organisation takes part."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=kind_choices)
    active = BooleanField(_l("Active"), default=True)


class UserForm(FlaskForm):
    """An account: who, which role, which organisation; a password when set or reset."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=role_choices)
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    password = PasswordField(
        _l("New password"),
        validators=[Optional(), Length(min=10, max=200)],
        description=_l("At least 10 characters. Leave empty to keep the current password."),
    )
    active = BooleanField(_l("Active"), default=True)
