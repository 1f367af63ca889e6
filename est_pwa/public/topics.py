"""The citizens' short list of topics, each mapped to a code of the category tree."""

from flask_babel import lazy_gettext as _l

# (topic key, label, category code): plain words for residents, stable codes for analysis.
TOPICS = (
    ("belysning", _l("Lighting"), "OTRYGG_PLATS_BELYSNING"),
    ("vaxtlighet", _l("Overgrown vegetation"), "OTRYGG_PLATS_VEGETATION"),
    ("skadegorelse", _l("Vandalism or graffiti"), "SKADEGORELSE"),
    ("nedskrapning", _l("Litter"), "NEDSKRAPNING"),
    ("samlingar", _l("Groups of people"), "SAMLING"),
    ("trafik", _l("Traffic"), "OTRYGG_PLATS_TRAFIK"),
    ("underhall", _l("Poor maintenance"), "OTRYGG_PLATS_UNDERHALL"),
    ("annat", _l("Something else"), "OVRIGT"),
)
CODES = {key: code for key, _label, code in TOPICS}


def topic_choices() -> list[tuple[str, str]]:
    """Return (topic key, label) pairs for the form."""
    return [(key, str(label)) for key, label, _code in TOPICS]
