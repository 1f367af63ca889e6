"""A walk's checklist: the answers given at each stop, checked and summed up for the protocol."""

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

SCALES = ("ok", "1-5")
OK_ANSWERS = ("bra", "brist", "ej_bedomt")
RATINGS = (1, 2, 3, 4, 5)
KEY_PATTERN = re.compile(r"^[a-z0-9_]{1,40}$")


def item_label(item: dict) -> str:
    """Return the question of a checklist ``item`` in the request's language."""
    locale = get_locale()
    english = locale is not None and locale.language == "en"
    return (item.get("label_en") if english else None) or item["label_sv"]


def key_for(label: str, taken: set[str]) -> str:
    """Return a new stable key for a question called ``label``, unlike those in ``taken``."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")[:36] or "fraga"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def _clean_answer(value, scale: str):
    """Return ``value`` as stored for ``scale``, or raise ValueError."""
    if scale == "ok":
        if value in OK_ANSWERS:
            return value
        raise ValueError(value)
    # bool is an int in Python; a rating of True is nonsense.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(value)
    rating = int(value) if isinstance(value, int) or value.isdigit() else None
    if rating not in RATINGS:
        raise ValueError(value)
    return rating


def clean_answers(answers: dict, checklist: list[dict]) -> tuple[dict, list]:
    """Return the answers in stored form and the problems found, checked against ``checklist``."""
    items = {item["key"]: item for item in checklist}
    cleaned, problems = {}, []
    for key, value in answers.items():
        item = items.get(key)
        if item is None:
            problems.append(_l("The walk's checklist has no item %(key)s.", key=key))
        elif value is not None and value != "":
            try:
                cleaned[key] = _clean_answer(value, item["scale"])
            except ValueError:
                problems.append(_l("%(item)s: not a valid answer.", item=item["label_sv"]))
    return cleaned, problems


@dataclass(frozen=True)
class ItemSummary:
    """How one checklist item was answered over all the stops of a walk."""

    item: dict
    counts: dict[str, int]  # "ok" scale: answers by code
    ratings: list[int]  # "1-5" scale

    @property
    def average(self) -> float | None:
        """Return the mean rating, or None without ratings."""
        return sum(self.ratings) / len(self.ratings) if self.ratings else None


def summarise(checklist: list[dict], answer_sets: list[dict | None]) -> list[ItemSummary]:
    """Return each item's tally over ``answer_sets``; answers that no longer fit are skipped."""
    summaries = []
    for item in checklist:
        counts = dict.fromkeys(OK_ANSWERS, 0)
        ratings = []
        for answers in answer_sets:
            value = (answers or {}).get(item["key"])
            if item["scale"] == "ok" and value in counts:
                counts[value] += 1
            elif item["scale"] == "1-5" and value in RATINGS and not isinstance(value, bool):
                ratings.append(value)
        summaries.append(ItemSummary(item, counts, ratings))
    return summaries
