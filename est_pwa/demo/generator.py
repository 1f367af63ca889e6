"""Kumla's demo data as plain values: organisations, users, areas and ~3,000 observations.

Pure and deterministic: the same ``today`` and ``seed`` always give the same data. The themes follow
Kumla's lägesbild: motorised youth gatherings at parking lots (strong up to 2023, lower since), public
alcohol and drug use with foil and butts left behind, unauthorised people in stairwells, shoplifting in
the centre, and a recent rise of suspected drug dealing in Ekeberg.
"""

import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import shapely
from shapely.geometry import shape

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CENTRE = (59.1277, 15.1434)
MONTHS_BACK = 30
OBSERVATION_NAMESPACE = uuid.UUID("6f1d3c52-4b7e-4f0a-9c53-2e8a1d0b7a11")
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
AREA_NOTE = "Demoområde – inte en officiell gräns (demo boundary, not an official one)."
EMAIL_DOMAIN = "kumla.example"


@dataclass(frozen=True)
class DemoOrganisation:
    """An organisation taking part in Kumla's EST work."""

    name: str
    kind: str


@dataclass(frozen=True)
class DemoUser:
    """A demo log-in with its role, organisation and fixed password."""

    email: str
    name: str
    role: str
    organisation: str
    password: str


@dataclass(frozen=True)
class DemoArea:
    """A named demo area with a GeoJSON Polygon boundary in WGS84."""

    name: str
    geometry: dict
    prioritised: bool
    description: str


@dataclass(frozen=True)
class DemoObservation:
    """One observation, with its area, category, reporter and organisation named by natural keys."""

    id: uuid.UUID
    occurred_at: datetime
    created_at: datetime
    lat: float
    lon: float
    accuracy_m: float
    area: str
    place_text: str
    place_type: str
    category: str
    description: str
    persons_count: int | None
    age_group: str | None
    assessment: int
    source: str
    reporter_email: str | None
    organisation: str | None
    contact_email: str | None
    status: str
    police_reported: bool
    receipt_code: str | None


@dataclass(frozen=True)
class DemoData:
    """Everything the demo holds."""

    organisations: tuple[DemoOrganisation, ...]
    users: tuple[DemoUser, ...]
    areas: tuple[DemoArea, ...]
    observations: tuple[DemoObservation, ...]


KOMMUNLEDNING = "Kumla kommun – Kommunledningsförvaltningen"
SAMHALLSBYGGNAD = "Kumla kommun – Samhällsbyggnadsförvaltningen"
KULTUR_FRITID = "Kumla kommun – Kultur- och fritidsförvaltningen"
BOSTADER = "Kumlabostäder"
POLISEN = "Polisen lokalpolisområde Hallsberg-Kumla"
VAKTBOLAG = "Trygghetsvakt Närke AB"

ORGANISATIONS = (
    DemoOrganisation(KOMMUNLEDNING, "municipal_unit"),
    DemoOrganisation(SAMHALLSBYGGNAD, "municipal_unit"),
    DemoOrganisation(KULTUR_FRITID, "municipal_unit"),
    DemoOrganisation(BOSTADER, "housing_company"),
    DemoOrganisation(POLISEN, "police"),
    DemoOrganisation(VAKTBOLAG, "security_company"),
)


def _user(local: str, name: str, role: str, organisation: str) -> DemoUser:
    return DemoUser(f"{local}@{EMAIL_DOMAIN}", name, role, organisation, f"demo-{local}")


USERS = (
    _user("admin", "Maria Lindqvist", "admin", KOMMUNLEDNING),
    _user("coordinator", "Karin Ekström", "coordinator", KOMMUNLEDNING),
    _user("police", "Johan Berglund", "police", POLISEN),
    _user("reporter", "Sara Holmgren", "reporter", KULTUR_FRITID),
    _user("viewer", "Per Nyberg", "viewer", SAMHALLSBYGGNAD),
    _user("caretaker", "Erik Sandberg", "reporter", BOSTADER),
    _user("guard", "Lina Forsberg", "reporter", VAKTBOLAG),
)
# Who reports for each source; the municipality's field worker now and then via the coordinator.
REPORTERS = {
    "municipal_unit": (("reporter", 85), ("coordinator", 15)),
    "housing_company": (("caretaker", 1),),
    "security_company": (("guard", 1),),
    "police": (("police", 1),),
}

# name, (west, south, east, north), prioritised, what the area is, a Swedish "where" phrase
AREA_SPECS = (
    ("Kumla torg och stationen", (15.130, 59.122, 15.145, 59.133), True,
     "Torget, resecentrum och parkeringarna runt dem.", "vid torget"),
    ("Centrum", (15.145, 59.122, 15.160, 59.133), False,
     "Butiker och bostäder öster om torget.", "i centrum"),
    ("Kumlaby", (15.115, 59.133, 15.175, 59.146), False,
     "Norra Kumla med Kumlasjön och villaområden.", "i Kumlaby"),
    ("Västra Mark", (15.115, 59.108, 15.130, 59.133), False,
     "Bostäder och skolor väster om järnvägen.", "i Västra Mark"),
    ("Ekeberg", (15.130, 59.108, 15.160, 59.122), True,
     "Flerbostadshus med gårdar, källare och ett litet centrum.", "i Ekeberg"),
    ("Hagaberg", (15.160, 59.108, 15.175, 59.133), False,
     "Bostadsområde i östra Kumla.", "i Hagaberg"),
    ("Sannahed", (15.075, 59.118, 15.105, 59.138), False,
     "Samhället väster om Kumla.", "i Sannahed"),
    ("Hällabrottet", (15.190, 59.100, 15.220, 59.118), False,
     "Samhället sydost om Kumla med idrottsplats.", "i Hällabrottet"),
)  # fmt: skip


def _box(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def demo_areas() -> tuple[DemoArea, ...]:
    """Return the demo areas: rectangles that tile the town and two villages, none overlapping."""
    return tuple(
        DemoArea(name, _box(*bounds), prioritised, f"{about} {AREA_NOTE}")
        for name, bounds, prioritised, about, _ in AREA_SPECS
    )


@dataclass(frozen=True)
class Spot:
    """Where a theme happens: a hotspot (centre and spread) or anywhere in an area (no centre)."""

    area: str
    text: str
    place_type: str
    centre: tuple[float, float] | None = None
    spread_m: float = 60.0


PLACE_NOUNS = {
    "gata_torg": "Gatan",
    "park": "Grönområdet",
    "parkering": "Parkeringen",
    "trapphus": "Trapphus",
    "skolgard": "Skolgården",
    "butik_centrum": "Butiken",
    "kollektivtrafik": "Busshållplatsen",
    "annat": "Gång- och cykelvägen",
}
WHERE = {name: where for name, *_, where in AREA_SPECS}


def _anywhere(area: str, place_type: str) -> Spot:
    return Spot(area, f"{PLACE_NOUNS[place_type]} {WHERE[area]}", place_type)


TORG = "Kumla torg och stationen"
TORG_PARKERING = Spot(TORG, "Parkeringen vid Kumla torg", "parkering", (59.1268, 15.1418), 50)
TORGET = Spot(TORG, "Kumla torg", "gata_torg", (59.1278, 15.1434), 45)
STATIONEN = Spot(TORG, "Kumla station och resecentrum", "kollektivtrafik", (59.1253, 15.1366), 60)
BUTIKERNA = Spot("Centrum", "Butikerna i centrum", "butik_centrum", (59.1285, 15.1505), 70)
HANDELSPARKERING = Spot(
    "Centrum", "Parkeringen vid livsmedelsbutiken", "parkering", (59.1262, 15.1545), 50
)
EKEBERG_GARD = Spot("Ekeberg", "Innergården i Ekeberg", "gata_torg", (59.1152, 15.1440), 70)
EKEBERG_TRAPPHUS = Spot("Ekeberg", "Trapphus och källare i Ekeberg", "trapphus", (59.1160, 15.1415))
HAGABERG_TRAPPHUS = Spot("Hagaberg", "Trapphus och tvättstuga i Hagaberg", "trapphus", (59.1220, 15.1672))
KUMLASJON = Spot("Kumlaby", "Parken vid Kumlasjön", "park", (59.1395, 15.1290), 110)
SKOLGARDEN = Spot("Västra Mark", "Skolgården i Västra Mark", "skolgard", (59.1245, 15.1225))
HALLABROTTET_PARKERING = Spot(
    "Hällabrottet", "Parkeringen vid idrottsplatsen", "parkering", (59.1090, 15.2050)
)


def _hours(weights: dict[int, float], base: float) -> tuple[float, ...]:
    """Return 24 weights for the hours from 06:00 to 05:00 the next morning."""
    return tuple(weights.get((6 + offset) % 24, base) for offset in range(24))


EVENING = _hours(
    {15: .5, 16: .8, 17: 1, 18: 1.5, 19: 2.5, 20: 3.5, 21: 4, 22: 4, 23: 3.5, 0: 2.5, 1: 1.8,
     2: 1, 3: .5}, .15,
)  # fmt: skip
NIGHT = _hours({19: 1, 20: 1.5, 21: 2, 22: 3, 23: 3.5, 0: 4, 1: 4, 2: 3, 3: 1.5}, .2)
DAYTIME = _hours(
    {6: .8, 7: 2.5, 8: 3.5, 9: 3.5, 10: 3, 11: 2.5, 12: 1.5, 13: 2.5, 14: 2.5, 15: 1.5, 16: 1,
     17: .5, 18: .3}, .05,
)  # fmt: skip
SHOP_HOURS = _hours(
    {9: .5, 10: 2, 11: 2.5, 12: 3, 13: 3, 14: 3, 15: 3.5, 16: 4, 17: 4, 18: 3, 19: 2, 20: 1}, 0
)
WALK = _hours(
    {9: 1, 10: 1.5, 11: 1.5, 12: 1, 13: 1.5, 14: 1.5, 15: 1.5, 16: 1.5, 17: 1.5, 18: 2.5, 19: 3,
     20: 3, 21: 2, 22: 1}, .1,
)  # fmt: skip
EVENT_HOURS = _hours({h: 2.0 for h in range(11, 22)}, 0)

# Monday first
WEEKEND_NIGHTS = (0.6, 0.6, 0.7, 0.9, 1.9, 2.1, 0.9)
AFTER_WEEKEND = (1.9, 1.2, 1.0, 1.0, 1.0, 0.3, 0.3)
WORKDAYS = (1.2, 1.2, 1.2, 1.2, 1.0, 0.3, 0.2)
SHOPPING_DAYS = (0.9, 0.9, 1.0, 1.0, 1.3, 1.6, 0.8)
EVENT_DAYS = (0.3, 0.3, 0.4, 0.5, 1.2, 2.5, 1.8)
EVERY_DAY = (1.0,) * 7

# January first
SUMMER = (0.4, 0.4, 0.6, 0.9, 1.3, 1.7, 1.8, 1.7, 1.2, 0.8, 0.5, 0.4)
MILD_SUMMER = (0.6, 0.6, 0.8, 1.0, 1.3, 1.5, 1.4, 1.4, 1.2, 1.0, 0.8, 0.7)
WINTER = (1.5, 1.4, 1.2, 1.0, 0.8, 0.6, 0.5, 0.6, 0.8, 1.1, 1.3, 1.5)
DARK = (1.6, 1.3, 0.9, 0.5, 0.2, 0.1, 0.1, 0.3, 0.8, 1.5, 1.9, 1.9)
GREEN = (0.1, 0.1, 0.2, 0.6, 1.5, 2.0, 2.0, 1.8, 1.2, 0.5, 0.2, 0.1)
CHRISTMAS = (0.9, 0.8, 0.9, 0.9, 1.0, 1.0, 0.9, 1.0, 1.0, 1.0, 1.3, 1.8)
EVENT_SEASON = (0.1, 0.1, 0.2, 0.5, 1.2, 2.0, 2.0, 1.8, 0.8, 0.3, 0.3, 1.0)
ALL_YEAR = (1.0,) * 12

MOTORISED_BY_YEAR = {2021: 2.4, 2022: 3.0, 2023: 1.8, 2024: 1.1, 2025: 0.9}
RISE_DAYS = 150


def flat(day: date, today: date) -> float:
    """Return a constant trend."""
    return 1.0


def motorised_trend(day: date, today: date) -> float:
    """Return the A-traktor trend: a peak in 2022, falling from 2023 on."""
    if day.year < min(MOTORISED_BY_YEAR):
        return 2.0
    return MOTORISED_BY_YEAR.get(day.year, 0.7)


def recent_rise(day: date, today: date) -> float:
    """Return a trend that climbs to five times the usual level over the last five months."""
    return 1.0 + 4.0 * max(0.0, 1.0 - (today - day).days / RISE_DAYS)


Weighted = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Theme:
    """A recurring kind of problem: what, where, when, who reports it and how it develops."""

    count: int
    categories: Weighted
    spots: tuple[tuple[Spot, float], ...]
    hours: tuple[float, ...]
    weekdays: tuple[float, ...]
    months: tuple[float, ...]
    sources: Weighted
    assessment: tuple[float, float, float]
    police_share: float = 0.0
    persons: tuple[int, int] | None = None
    ages: Weighted = ()
    trend: Callable[[date, date], float] = flat


