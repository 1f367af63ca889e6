"""Settings read from ``EST_*`` environment variables, with safe development defaults."""

import os
import re

DEV_SECRET_KEY = "dev-only-not-secret"


def database_url(raw: str) -> str:
    """Return ``raw`` with a bare PostgreSQL scheme pointed at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _floats(raw: str) -> list[float]:
    return [float(part) for part in raw.split(",")]


def from_environment(environ=os.environ, instance_path: str = "instance") -> dict:
    """Return the app settings that the ``EST_*`` variables in ``environ`` ask for."""
    env = environ.get
    sqlite_default = f"sqlite:///{os.path.join(instance_path, 'est.sqlite3')}"
    redis_url = env("EST_REDIS_URL")
    return {
        "ENV_NAME": env("EST_ENV", "development"),
        "SECRET_KEY": env("EST_SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url(env("EST_DATABASE_URL", sqlite_default)),
        "MUNICIPALITY_NAME": env("EST_MUNICIPALITY_NAME", "Kumla kommun"),
        "MUNICIPALITY_COLOUR": env("EST_MUNICIPALITY_COLOUR", "#005a8c"),
        "MUNICIPALITY_LOGO_URL": env("EST_MUNICIPALITY_LOGO_URL", ""),
        "MAP_CENTRE": _floats(env("EST_MAP_CENTRE", "59.1277,15.1434")),
        # south, west, north, east in WGS84
        "MAP_BOUNDS": _floats(env("EST_MAP_BOUNDS", "59.03,14.95,59.24,15.35")),
        "LOCAL_CRS": env("EST_LOCAL_CRS", "EPSG:3009"),
        "TILE_URL": env("EST_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "TILE_ATTRIBUTION": env("EST_TILE_ATTRIBUTION", "© OpenStreetMap-bidragsgivare"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_LOGIN": env("EST_RATELIMIT_LOGIN", "5 per minute"),
        "RATELIMIT_PUBLIC": env("EST_RATELIMIT_PUBLIC", "10 per minute;50 per day"),
        "MAX_CONTENT_LENGTH": int(env("EST_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))),
        "OBSERVATION_MAX_AGE_DAYS": int(env("EST_OBSERVATION_MAX_AGE_DAYS", "30")),
        "PHOTO_MAX_BYTES": int(env("EST_PHOTO_MAX_BYTES", str(15 * 1024 * 1024))),
        "PHOTOS_PER_OBSERVATION": int(env("EST_PHOTOS_PER_OBSERVATION", "5")),
        # Likely duplicates: same category, this close in space and in time.
        "DUPLICATE_DISTANCE_M": float(env("EST_DUPLICATE_DISTANCE_M", "100")),
        "DUPLICATE_WINDOW_HOURS": float(env("EST_DUPLICATE_WINDOW_HOURS", "24")),
        "SESSION_COOKIE_SECURE": env("EST_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_SECURE": env("EST_SECURE_COOKIES", "0") == "1",
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "WTF_CSRF_HEADERS": ["X-CSRFToken", "X-CSRF-Token"],
    "BABEL_DEFAULT_LOCALE": "sv",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
    "LANGUAGES": ["sv", "en"],
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_STRATEGY": "moving-window",
}


def contrast_with_white(colour: str) -> float:
    """Return the WCAG contrast ratio of a ``#rrggbb`` colour against white."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return 1.05 / (luminance + 0.05)


class ConfigurationError(RuntimeError):
    """Raised when the settings are unsafe for the environment they run in."""


def check(config) -> None:
    """Refuse settings that must never reach production, or that would break accessibility."""
    colour = config.get("MUNICIPALITY_COLOUR", "#005a8c")
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour) or contrast_with_white(colour) < 4.5:
        # The colour carries white text (header, primary buttons): WCAG AA needs 4.5:1.
        raise ConfigurationError(
            f"EST_MUNICIPALITY_COLOUR {colour!r} must be #rrggbb with 4.5:1 contrast to white"
        )
    if config.get("ENV_NAME") == "production" and config.get("SECRET_KEY") in (
        DEV_SECRET_KEY,
        "",
        None,
    ):
        raise ConfigurationError(
            "EST_SECRET_KEY must be set to a long random value when EST_ENV=production"
        )
