"""Every text the code and the templates show has its Swedish translation."""

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SWEDISH = ROOT / "est_pwa" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
METHODS = [("est_pwa/**.py", "python"), ("templates/**.html", "jinja2")]


def extracted() -> dict[str, str]:
    """Return each message id the sources use, with one place that uses it."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = {}
    for filename, _, message, _, _ in extract_from_dir(ROOT, METHODS, keywords=keywords):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, filename)
    return found


def translated(entry) -> bool:
    """Return whether a catalogue entry has its text (every plural form, for plurals)."""
    if entry is None:
        return False
    return all(entry.string) if entry.pluralizable else bool(entry.string)


def test_every_message_has_a_swedish_translation():
    with SWEDISH.open("rb") as handle:
        catalogue = read_po(handle, locale="sv")
    missing = {
        msgid: place
        for msgid, place in extracted().items()
        if msgid and not translated(catalogue.get(msgid))
    }
    assert not missing, missing
