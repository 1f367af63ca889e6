"""Find and mask personal data (personnummer, phone numbers, e-mail, plates) in free text.

EST describes places, never individuals, so text written by staff and citizens is scanned before it
is sent (to warn the writer) and masked when it is shown to anyone but a coordinator. The rules lean
towards recall for personnummer and e-mail, and towards precision for phone numbers and plates,
whose shapes collide with the dates, times, amounts and street numbers that fill these reports.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Kind = Literal["personnummer", "samordningsnummer", "telefon", "epost", "regnr"]

PLACEHOLDERS: dict[Kind, str] = {
    "personnummer": "[personnummer]",
    "samordningsnummer": "[samordningsnummer]",
    "telefon": "[telefon]",
    "epost": "[e-post]",
    "regnr": "[registreringsnummer]",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: its kind, where it sits in the text and what it says."""

    kind: Kind
    start: int
    end: int
    text: str


# Personnummer and samordningsnummer

# Six or eight date digits, an optional separator and four digits, never part of a longer run
# of digits (an order number or a bank account is not a personnummer).
_IDENTITY_NUMBER = re.compile(
    r"(?<!\d)(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>[-+ ]?)(?P<last4>\d{4})(?!\d)"
)
# "+" marks someone over 100, so a short number is read in the century the separator implies.
_CENTURIES_BY_SEPARATOR = {"+": (18, 19), "-": (19, 20), " ": (19, 20), "": (19, 20)}
_COORDINATION_DAY_OFFSET = 60


def _luhn_ok(digits: str) -> bool:
    """Tell whether ``digits`` end in a valid Luhn check digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _is_date(year: int, month: int, day: int) -> bool:
    """Tell whether the year, month and day form a real calendar date."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _identity_kind(match: re.Match[str]) -> Kind | None:
    """Return the kind of a personnummer-shaped match, or None when it is not a valid one."""
    century, yymmdd, sep = match["century"], match["yymmdd"], match["sep"]
    if not _luhn_ok(yymmdd + match["last4"]) or (century and sep == "+"):
        return None
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    kind: Kind = "personnummer"
    if day > _COORDINATION_DAY_OFFSET:
        kind, day = "samordningsnummer", day - _COORDINATION_DAY_OFFSET
    centuries = (int(century),) if century else _CENTURIES_BY_SEPARATOR[sep]
    plausible = any(18 <= c <= 20 and _is_date(c * 100 + yy, month, day) for c in centuries)
    return kind if plausible else None


def _identity_numbers(text: str) -> list[Finding]:
    """Return the valid personnummer and samordningsnummer in ``text``."""
    found = []
    for match in _IDENTITY_NUMBER.finditer(text):
        if kind := _identity_kind(match):
            found.append(Finding(kind, match.start(), match.end(), match[0]))
    return found


# Phone numbers

# A trunk "0" or a country code, then 8-9 digits with single spaces or dashes between them, so
# the whole national number is 9-10 digits long. Counts, amounts, years and postal codes never
# start with 0; the look-behind keeps us out of words, longer numbers and dates ("2026-01-05"),
# the look-ahead out of times and decimals glued to the end ("08-01-2026 14.30").
_PHONE = re.compile(
    r"""
    (?<![\w+./-])
    (?: (?:\+|00)46 (?:[ -]?\(0\)|[ -]?0)? [ -]? | 0 )
    [1-9] (?: (?:\ -\ |[ -])? \d ){7,8}
    (?! \d | [.:/]\d )
    """,
    re.VERBOSE,
)
# "08-01-2026 14" is a date and a count, not a Stockholm number.
_DAY_MONTH_YEAR = re.compile(r"0[1-9]([- ])(?:0[1-9]|1[0-2])\1(?:19|20)\d\d")
# Six digits, a separator and four digits is how personnummer are written, never phone numbers;
# a wrong check digit must not turn "050101-1235" into a phone number.
_IDENTITY_SHAPE = re.compile(r"\d{6}[- ]\d{4}")


def _phones(text: str) -> list[Finding]:
    """Return the Swedish phone numbers in ``text``."""
    return [
        Finding("telefon", match.start(), match.end(), match[0])
        for match in _PHONE.finditer(text)
        if not _DAY_MONTH_YEAR.match(match[0]) and not _IDENTITY_SHAPE.fullmatch(match[0])
    ]


# E-mail addresses

# Pragmatic rather than RFC 5322: \w admits å, ä and ö, and a sentence's final full stop stays out.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")


def _emails(text: str) -> list[Finding]:
    """Return the e-mail addresses in ``text``."""
    return [Finding("epost", m.start(), m.end(), m[0]) for m in _EMAIL.finditer(text)]


# Registration plates

# Swedish plates never use I, Q, V, Å, Ä or Ö; the 2019 format ends in a letter, never O.
_PLATE_LETTERS = "A-HJ-PR-UW-Z"
_PLATE = re.compile(
    rf"(?<!\w)(?P<letters>[{_PLATE_LETTERS}]{{3}})(?P<sep>[ -]?)"
    rf"(?P<tail>\d\d[\dA-HJ-NPR-UW-Z])(?!\w)",
    re.IGNORECASE,
)
# Acronyms that reports put before numbers ("SOS 112", "LED 150 lm", "LSS 123"); a real plate
# with these letters goes unmasked, which is the cheaper mistake here.
_NOT_PLATES = frozenset(
    {"AFS", "BBR", "BRF", "EPA", "GPS", "HSB", "LED", "LSS", "LVM", "LVU", "MSB", "PBL", "SFS"}
    | {"SKR", "SOS", "SOU"}
)


def _is_plate(match: re.Match[str]) -> bool:
    """Tell whether a plate-shaped match is written like a plate rather than a word and a number."""
    letters = match["letters"]
    if letters.upper() in _NOT_PLATES:
        return False
    # "ABC 123" in capitals, or "abc123" typed in one go; "Rum 123" and "Hus 12A" are words.
    return letters.isupper() or (letters.islower() and not match["sep"])


def _plates(text: str) -> list[Finding]:
    """Return the Swedish registration plates in ``text``."""
    return [
        Finding("regnr", m.start(), m.end(), m[0]) for m in _PLATE.finditer(text) if _is_plate(m)
    ]


# Together

# Earlier finders win an overlap: an address may contain digits, and a valid personnummer such as
# "0501011234" is also phone-shaped but must be reported once, as what it is.
_FINDERS = (_emails, _identity_numbers, _phones, _plates)


def find(text: str) -> list[Finding]:
    """Return the personal data in ``text``, without overlaps, in reading order."""
    kept: list[Finding] = []
    for finder in _FINDERS:
        for candidate in finder(text):
            if all(candidate.end <= f.start or f.end <= candidate.start for f in kept):
                kept.append(candidate)
    return sorted(kept, key=lambda finding: finding.start)


def kinds(text: str) -> set[str]:
    """Return the kinds of personal data in ``text``, for warning the writer."""
    return {finding.kind for finding in find(text)}


def mask(text: str) -> str:
    """Return ``text`` with each finding replaced by a Swedish placeholder, the rest untouched."""
    pieces, position = [], 0
    for finding in find(text):
        pieces += [text[position : finding.start], PLACEHOLDERS[finding.kind]]
        position = finding.end
    return "".join(pieces) + text[position:]
