"""The week picker: one GET field, a week written as ``2026-W47``."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Optional, ValidationError

from ..analysis.weekly import Week, last_complete_week, parse_week, week_of
from ..clock import now_utc


class WeekForm(FlaskForm):
    """Which week the picture shows; read from the query string."""

    class Meta:
        csrf = False

    vecka = StringField(
        _l("Week"),
        description=_l("Year and week number, for example 2026-W47."),
        validators=[Optional()],
    )

    def validate_vecka(self, field):
        week = parse_week(field.data)
        if week is None:
            raise ValidationError(_l("Write the week as year and week number, e.g. 2026-W47."))
        if week > week_of(now_utc()):
            raise ValidationError(_l("That week has not begun yet."))

    def chosen_week(self, now: datetime) -> Week:
        """Return the valid week asked for, or else the last complete week."""
        if self.vecka.data and not self.vecka.errors:
            return parse_week(self.vecka.data)
        return last_complete_week(now)
