"""Language choice and the Swedish formats of dates and numbers in templates."""

from datetime import datetime

from flask import current_app, has_request_context, request
from flask_babel import format_datetime, format_decimal, get_locale

from .clock import to_local
from .labels import template_globals

LANGUAGE_COOKIE = "est_lang"


def select_locale() -> str | None:
    """Return the language the visitor chose, Swedish unless told otherwise."""
    if not has_request_context():
        return None  # commands and jobs: Flask-Babel's default locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in current_app.config["LANGUAGES"] else "sv"


def datetime_filter(moment: datetime | None) -> str:
    """Format ``moment`` as ``27 nov 2026 14:05`` in Swedish local time."""
    if moment is None:
        return ""
    # CLDR abbreviates Swedish months with a full stop ("nov."); Swedish style guides do not.
    return format_datetime(to_local(moment), "d MMM y HH:mm").replace(".", "")


def date_filter(moment: datetime | None) -> str:
    """Format ``moment`` as ``27 nov 2026`` in Swedish local time."""
    if moment is None:
        return ""
    return format_datetime(to_local(moment), "d MMM y").replace(".", "")


def time_filter(moment: datetime | None) -> str:
    """Format ``moment`` as ``14:05`` in Swedish local time."""
    return "" if moment is None else to_local(moment).strftime("%H:%M")


def number_filter(value: float | int | None) -> str:
    """Format ``value`` with the locale's grouping (``1 234`` in Swedish)."""
    return "" if value is None else format_decimal(value)


def register(app) -> None:
    """Add the formatting filters to the app's templates."""
    app.add_template_filter(datetime_filter, "datetime")
    app.add_template_filter(date_filter, "date")
    app.add_template_filter(time_filter, "time")
    app.add_template_filter(number_filter, "number")
    app.jinja_env.globals.update(template_globals(), current_locale=lambda: str(get_locale()))
