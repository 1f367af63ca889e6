"""The category tree every deployment starts with: EMBRACE's top level and local sub-categories."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Category


@dataclass(frozen=True)
class CategorySeed:
    """A category to create: a stable code, Swedish and English names, and its sub-categories."""

    code: str
    name_sv: str
    name_en: str
    children: tuple["CategorySeed", ...] = ()


def _main(code: str, name_sv: str, name_en: str, *subs: tuple[str, str, str]) -> CategorySeed:
    children = tuple(CategorySeed(f"{code}_{sub}", sv, en) for sub, sv, en in subs)
    return CategorySeed(code, name_sv, name_en, children)


CATEGORIES: tuple[CategorySeed, ...] = (
    _main(
        "SKADEGORELSE",
        "Skadegörelse",
        "Vandalism",
        ("KLOTTER", "Klotter", "Graffiti"),
        ("GLASKROSS", "Glaskross", "Broken glass"),
        ("BRAND", "Anlagd brand", "Arson"),
        ("FORDON", "Skadegörelse på fordon", "Damage to vehicles"),
        ("OVRIG", "Övrig skadegörelse", "Other vandalism"),
    ),
    _main(
        "SAMLING",
        "Otrygghetsskapande samling av personer",
        "Gathering of people that creates insecurity",
        ("UNGDOMSGRUPP", "Ungdomsgrupp", "Group of young people"),
        (
            "MOTORBUREN",
            "Motorburen samling (A-traktor, EPA, moped)",
            "Motorised gathering (A-tractor, EPA tractor, moped)",
        ),
        (
            "TRAPPHUS",
            "Samling i trapphus, källare eller allmänna utrymmen",
            "Gathering in a stairwell, basement or common space",
        ),
        (
            "ALKOHOL_DROGER",
            "Alkohol eller droger i offentlig miljö",
            "Alcohol or drugs in public",
        ),
    ),
    _main(
        "NARKOTIKA",
        "Misstänkt narkotikahantering",
        "Suspected drug activity",
        ("FORSALJNING", "Misstänkt försäljning", "Suspected dealing"),
        ("RESTER", "Narkotikarester (folie, sprutor)", "Drug remains (foil, syringes)"),
    ),
    _main(
        "ORDNING",
        "Annat otrygghetsskapande eller ordningsstörande",
        "Other disorder or insecurity",
        ("BRAK", "Bråk", "Fight"),
        ("HOT", "Hot", "Threats"),
        ("INBROTT", "Inbrott", "Burglary"),
        ("SNATTERI", "Snatteri", "Shoplifting"),
        ("OLOVLIGT_BOENDE", "Olovligt boende", "Unauthorised sleeping or living"),
        ("BUSKORNING", "Olovlig trafik eller buskörning", "Illegal traffic or reckless driving"),
        (
            "OBEHORIGA",
            "Obehöriga i allmänna utrymmen",
            "Unauthorised people in common spaces",
        ),
        ("TILLHYGGEN", "Tillhyggen eller stenupplag", "Potential weapons or stone piles"),
        ("INCIDENT_PERSONAL", "Incident mot personal", "Incident against staff"),
    ),
    _main(
        "NEDSKRAPNING",
        "Nedskräpning",
        "Littering",
        ("FIMPAR", "Fimpar", "Cigarette butts"),
        ("FOLIE", "Folie", "Foil"),
        ("GLAS", "Glas", "Glass"),
        ("GROVSOPOR", "Grovsopor", "Bulky waste"),
    ),
    _main(
        "OTRYGG_PLATS",
        "Otrygg plats",
        "Unsafe place",
        ("BELYSNING", "Bristfällig belysning", "Poor lighting"),
        ("VEGETATION", "Skymmande vegetation", "Obstructing vegetation"),
        ("INSYN", "Dålig insyn", "Poor visibility"),
        ("ODSLIG", "Ödslig plats", "Deserted place"),
        ("TRAFIK", "Trafiksituation", "Traffic situation"),
        ("UNDERHALL", "Eftersatt underhåll", "Neglected maintenance"),
    ),
    _main("ARRANGEMANG", "Arrangemang", "Event"),
    _main("TRYGG_PLATS", "Trygg plats / positiv iakttagelse", "Safe place / positive observation"),
    _main("OVRIGT", "Övrigt", "Other"),
)


def category_codes() -> frozenset[str]:
    """Return the codes of every seeded category, main and sub."""
    return frozenset(
        code for main in CATEGORIES for code in (main.code, *(c.code for c in main.children))
    )


def _add(session: Session, seed: CategorySeed, position: int, parent: Category | None) -> Category:
    category = Category(
        code=seed.code,
        name_sv=seed.name_sv,
        name_en=seed.name_en,
        position=position,
        parent=parent,
        active=True,
    )
    session.add(category)
    return category


def ensure_categories(session: Session) -> int:
    """Add the seeded categories whose codes are missing and return how many were added."""
    existing = {category.code: category for category in session.scalars(select(Category))}
    added = 0
    for position, main in enumerate(CATEGORIES):
        parent = existing.get(main.code)
        if parent is None:
            parent = _add(session, main, position, None)
            added += 1
        for child_position, child in enumerate(main.children):
            if child.code not in existing:
                _add(session, child, child_position, parent)
                added += 1
    session.flush()
    return added
