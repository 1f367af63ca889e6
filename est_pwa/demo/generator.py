"""Kumla's demo data as plain values: organisations, users, areas and ~3,000 observations.

Pure and deterministic: the same ``today`` and ``seed`` always give the same data. The themes
follow Kumla's lägesbild: motorised youth gatherings at parking lots (strong up to 2023, lower
since), public alcohol and drug use with foil and butts left behind, unauthorised people in
stairwells, shoplifting in the centre, and a recent rise of suspected drug dealing in Ekeberg.
"""

import calendar
import math
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import shapely
from shapely.geometry import shape

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS_BACK = 30
OBSERVATION_NAMESPACE = uuid.UUID("6f1d3c52-4b7e-4f0a-9c53-2e8a1d0b7a11")
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
AREA_NOTE = "Demoområde – inte en officiell gräns (demo boundary, not an official one)."
EMAIL_DOMAIN = "kumla.example"
T = TypeVar("T")


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
HAGABERG_TRAPPHUS = Spot(
    "Hagaberg", "Trapphus och tvättstuga i Hagaberg", "trapphus", (59.1220, 15.1672)
)
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
NIGHT = _hours({19: 1, 20: 1.5, 21: 2, 22: 3, 23: 3.5, 0: 4, 1: 4, 2: 3, 3: 1.5}, 0.2)
DAYTIME = _hours(
    {6: .8, 7: 2.5, 8: 3.5, 9: 3.5, 10: 3, 11: 2.5, 12: 1.5, 13: 2.5, 14: 2.5, 15: 1.5, 16: 1,
     17: .5, 18: .3}, .05,
)  # fmt: skip
SHOP_HOURS = _hours(
    {9: 0.5, 10: 2, 11: 2.5, 12: 3, 13: 3, 14: 3, 15: 3.5, 16: 4, 17: 4, 18: 3, 19: 2, 20: 1}, 0
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


PEOPLE_CODES = frozenset({"ORDNING_BRAK", "ORDNING_HOT", "ORDNING_OBEHORIGA", "ARRANGEMANG"})
M, H, S, P, PUBLIC = "municipal_unit", "housing_company", "security_company", "police", "public"

THEMES = (
    Theme(  # A-traktorer and EPA at parking lots, Friday and Saturday nights
        420,
        (("SAMLING_MOTORBUREN", 85), ("ORDNING_BUSKORNING", 15)),
        ((TORG_PARKERING, 4), (HANDELSPARKERING, 3), (HALLABROTTET_PARKERING, 2),
         (_anywhere("Sannahed", "parkering"), 1), (_anywhere("Kumlaby", "parkering"), 1)),
        EVENING, WEEKEND_NIGHTS, MILD_SUMMER,
        ((M, 35), (S, 35), (P, 15), (PUBLIC, 15)), (0.2, 0.5, 0.3),
        police_share=0.1, persons=(4, 30), ages=(("unga", 85), ("blandat", 15)),
        trend=motorised_trend,
    ),
    Theme(  # drinking and drugs in public, foil left behind
        330,
        (("SAMLING_ALKOHOL_DROGER", 60), ("NARKOTIKA_RESTER", 25), ("NARKOTIKA_FORSALJNING", 15)),
        ((KUMLASJON, 4), (STATIONEN, 3), (TORGET, 2), (SKOLGARDEN, 2),
         (_anywhere("Kumlaby", "park"), 1), (_anywhere("Västra Mark", "park"), 1),
         (_anywhere("Sannahed", "gata_torg"), 0.5)),
        EVENING, WEEKEND_NIGHTS, SUMMER,
        ((M, 40), (S, 30), (P, 15), (PUBLIC, 10), (H, 5)), (0.2, 0.5, 0.3),
        police_share=0.08, persons=(2, 12), ages=(("unga", 50), ("vuxna", 30), ("blandat", 20)),
    ),
    Theme(  # littering noticed by caretakers in the morning, most on Mondays
        400,
        (("NEDSKRAPNING_FIMPAR", 35), ("NEDSKRAPNING_FOLIE", 20), ("NEDSKRAPNING_GLAS", 25),
         ("NEDSKRAPNING_GROVSOPOR", 20)),
        ((EKEBERG_GARD, 3), (TORGET, 2), (STATIONEN, 2), (KUMLASJON, 2), (SKOLGARDEN, 1),
         (_anywhere("Hagaberg", "gata_torg"), 1.5), (_anywhere("Kumlaby", "annat"), 1),
         (_anywhere("Centrum", "gata_torg"), 1)),
        DAYTIME, AFTER_WEEKEND, MILD_SUMMER,
        ((H, 50), (M, 35), (PUBLIC, 10), (S, 5)), (0.6, 0.3, 0.1),
    ),
    Theme(  # unauthorised people in stairwells and basements, most in the cold months
        380,
        (("ORDNING_OBEHORIGA", 50), ("SAMLING_TRAPPHUS", 35), ("ORDNING_OLOVLIGT_BOENDE", 15)),
        ((EKEBERG_TRAPPHUS, 4), (HAGABERG_TRAPPHUS, 4), (_anywhere("Kumlaby", "trapphus"), 1),
         (_anywhere("Västra Mark", "trapphus"), 1)),
        EVENING, WEEKEND_NIGHTS, WINTER,
        ((H, 75), (S, 15), (PUBLIC, 5), (P, 5)), (0.2, 0.5, 0.3),
        police_share=0.05, persons=(2, 8), ages=(("unga", 60), ("vuxna", 25), ("blandat", 15)),
    ),
    Theme(  # going in the wrong direction: suspected dealing in Ekeberg, rising lately
        120,
        (("NARKOTIKA_FORSALJNING", 1),),
        ((EKEBERG_GARD, 1), (EKEBERG_TRAPPHUS, 1), (_anywhere("Ekeberg", "parkering"), 0.5)),
        EVENING, WEEKEND_NIGHTS, ALL_YEAR,
        ((H, 45), (S, 25), (P, 15), (PUBLIC, 15)), (0.1, 0.4, 0.5),
        police_share=0.35, trend=recent_rise,
    ),
    Theme(  # shoplifting in the centre, afternoons, Saturdays and December
        220,
        (("ORDNING_SNATTERI", 1),),
        ((BUTIKERNA, 6), (_anywhere("Centrum", "butik_centrum"), 2),
         (_anywhere(TORG, "butik_centrum"), 1)),
        SHOP_HOURS, SHOPPING_DAYS, CHRISTMAS,
        ((S, 65), (P, 20), (M, 10), (PUBLIC, 5)), (0.5, 0.4, 0.1),
        police_share=0.75,
    ),
    Theme(  # vandalism, mostly found in the morning
        300,
        (("SKADEGORELSE_KLOTTER", 45), ("SKADEGORELSE_GLASKROSS", 20), ("SKADEGORELSE_BRAND", 10),
         ("SKADEGORELSE_FORDON", 10), ("SKADEGORELSE_OVRIG", 15)),
        ((STATIONEN, 3), (SKOLGARDEN, 3), (TORGET, 1), (EKEBERG_GARD, 2),
         (_anywhere("Hagaberg", "gata_torg"), 1), (_anywhere("Kumlaby", "park"), 1),
         (_anywhere("Centrum", "gata_torg"), 1), (_anywhere("Hällabrottet", "gata_torg"), 0.5),
         (_anywhere("Sannahed", "annat"), 0.5)),
        DAYTIME, AFTER_WEEKEND, MILD_SUMMER,
        ((M, 40), (H, 30), (S, 15), (PUBLIC, 15)), (0.4, 0.4, 0.2),
        police_share=0.3,
    ),
    Theme(  # fights, threats and other disorder on weekend nights
        200,
        (("ORDNING_BRAK", 25), ("ORDNING_HOT", 20), ("ORDNING_INBROTT", 15),
         ("ORDNING_TILLHYGGEN", 10), ("ORDNING_INCIDENT_PERSONAL", 15), ("ORDNING_BUSKORNING", 15)),
        ((TORGET, 3), (STATIONEN, 3), (_anywhere("Centrum", "gata_torg"), 2), (EKEBERG_GARD, 1),
         (_anywhere("Hagaberg", "gata_torg"), 1), (_anywhere("Kumlaby", "park"), 1)),
        NIGHT, WEEKEND_NIGHTS, MILD_SUMMER,
        ((S, 35), (P, 25), (M, 20), (H, 10), (PUBLIC, 10)), (0.1, 0.4, 0.5),
        police_share=0.5, persons=(2, 10), ages=(("unga", 40), ("vuxna", 35), ("blandat", 25)),
    ),
    Theme(  # groups of young people at the station, the torg and the school yard
        150,
        (("SAMLING_UNGDOMSGRUPP", 1),),
        ((STATIONEN, 3), (TORGET, 3), (SKOLGARDEN, 2), (_anywhere("Hagaberg", "gata_torg"), 1),
         (_anywhere("Ekeberg", "gata_torg"), 1)),
        EVENING, WEEKEND_NIGHTS, SUMMER,
        ((M, 45), (S, 30), (P, 10), (PUBLIC, 15)), (0.3, 0.5, 0.2),
        police_share=0.05, persons=(4, 20), ages=(("unga", 80), ("barn", 10), ("blandat", 10)),
    ),
    Theme(  # dark places, found on safety walks in the dark half of the year
        140,
        (("OTRYGG_PLATS_BELYSNING", 60), ("OTRYGG_PLATS_INSYN", 20), ("OTRYGG_PLATS_ODSLIG", 20)),
        ((_anywhere("Kumlaby", "annat"), 2), (_anywhere("Västra Mark", "annat"), 2),
         (_anywhere("Ekeberg", "annat"), 2), (_anywhere("Hagaberg", "park"), 1),
         (_anywhere("Sannahed", "gata_torg"), 1), (_anywhere("Hällabrottet", "gata_torg"), 1),
         (STATIONEN, 1)),
        WALK, WORKDAYS, DARK,
        ((PUBLIC, 35), (M, 45), (H, 15), (S, 5)), (0.2, 0.5, 0.3),
    ),
    Theme(  # overgrown bushes, traffic and neglect, found in the green half of the year
        100,
        (("OTRYGG_PLATS_VEGETATION", 50), ("OTRYGG_PLATS_TRAFIK", 25),
         ("OTRYGG_PLATS_UNDERHALL", 25)),
        ((_anywhere("Kumlaby", "park"), 2), (_anywhere("Västra Mark", "annat"), 2),
         (_anywhere("Ekeberg", "park"), 1), (_anywhere("Hagaberg", "annat"), 1), (SKOLGARDEN, 1)),
        WALK, WORKDAYS, GREEN,
        ((PUBLIC, 30), (M, 55), (H, 15)), (0.4, 0.4, 0.2),
    ),
    Theme(  # places that feel safe
        130,
        (("TRYGG_PLATS", 1),),
        ((TORGET, 2), (KUMLASJON, 2), (_anywhere("Centrum", "gata_torg"), 1),
         (_anywhere("Ekeberg", "park"), 1), (_anywhere("Hällabrottet", "gata_torg"), 1),
         (STATIONEN, 1)),
        WALK, EVERY_DAY, MILD_SUMMER,
        ((PUBLIC, 35), (M, 45), (H, 10), (S, 5), (P, 5)), (1.0, 0.0, 0.0),
    ),
    Theme(  # summer events and the Christmas market
        50,
        (("ARRANGEMANG", 1),),
        ((TORGET, 3), (KUMLASJON, 2)),
        EVENT_HOURS, EVENT_DAYS, EVENT_SEASON,
        ((M, 60), (S, 20), (PUBLIC, 20)), (0.7, 0.3, 0.0),
        persons=(50, 800), ages=(("blandat", 1),),
    ),
    Theme(  # everything else
        60,
        (("OVRIGT", 1),),
        ((_anywhere("Kumlaby", "park"), 1), (_anywhere("Centrum", "gata_torg"), 1),
         (_anywhere("Ekeberg", "gata_torg"), 1), (_anywhere("Sannahed", "gata_torg"), 1)),
        DAYTIME, EVERY_DAY, ALL_YEAR,
        ((M, 40), (H, 30), (PUBLIC, 20), (S, 10)), (0.6, 0.3, 0.1),
    ),
)  # fmt: skip

DESCRIPTIONS = {
    "SKADEGORELSE_KLOTTER": (
        "Nytt klotter på väggen.",
        "Klotter med sprayfärg på elskåp och skyltar.",
        "Taggar har målats på busskuret och en fasad.",
    ),
    "SKADEGORELSE_GLASKROSS": (
        "Krossad ruta i entrédörren.",
        "Glaskross i busskuret, glasbitar på marken.",
        "Sönderslagen fönsterruta i källarplanet.",
    ),
    "SKADEGORELSE_BRAND": (
        "Anlagd brand i papperskorg, släckt vid ankomst.",
        "Brandskadad sopcontainer.",
        "Brandspår i barnvagnsrummet.",
    ),
    "SKADEGORELSE_FORDON": (
        "Sönderskurna däck på flera bilar på parkeringen.",
        "Repade lackar och avslagna backspeglar på parkerade bilar.",
    ),
    "SKADEGORELSE_OVRIG": (
        "Sönderslagen parkbänk och nedriven skylt.",
        "Lampkupan på belysningsstolpen är krossad.",
    ),
    "SAMLING_UNGDOMSGRUPP": (
        "Grupp om cirka {n} ungdomar, hög ljudnivå och stökigt.",
        "Ungdomar samlas och kastar saker mot förbipasserande.",
        "Grupp ungdomar vid entrén, förbipasserande väljer en annan väg.",
    ),
    "SAMLING_MOTORBUREN": (
        "Samling av A-traktorer och EPA-traktorer, hög musik och tomgångskörning.",
        "Cirka {n} personer med A-traktorer och mopeder, buskörning runt parkeringen.",
        "A-traktorer kör i hög fart mellan parkeringen och torget, däckspår på asfalten.",
        "Mopeder och A-traktorer samlas, hög musik sent på kvällen.",
    ),
    "SAMLING_TRAPPHUS": (
        "Personer samlas i trapphuset och röker.",
        "Grupp om cirka {n} personer i källargången, rester av mat och dryck kvar.",
    ),
    "SAMLING_ALKOHOL_DROGER": (
        "Alkoholförtäring vid bänkarna, tomma burkar och flaskor.",
        "Cirka {n} personer dricker alkohol, lukt av cannabis.",
        "Berusade personer, stökigt och högljutt.",
    ),
    "NARKOTIKA_FORSALJNING": (
        "Misstänkt narkotikaförsäljning, korta möten och många som kommer och går.",
        "Misstänkt langning vid entrén, samma mönster flera kvällar.",
        "Bilar stannar kort och kör vidare, misstänkt överlämning.",
    ),
    "NARKOTIKA_RESTER": (
        "Bränd folie och små plastpåsar på marken.",
        "Kanyl hittad i buskaget, omhändertagen.",
        "Folierester och fimpar vid bänken.",
    ),
    "ORDNING_BRAK": (
        "Bråk mellan flera personer, polis tillkallad.",
        "Högljutt gräl som övergick i knuffar.",
    ),
    "ORDNING_HOT": (
        "Personal upplevde sig hotad av en grupp.",
        "Hotfull stämning, förbipasserande fick glåpord.",
    ),
    "ORDNING_INBROTT": (
        "Uppbrutet förråd i källaren.",
        "Inbrott i cykelförrådet, låset uppbrutet.",
    ),
    "ORDNING_SNATTERI": (
        "Snatteri i butik, personalen besvärad av återkommande stölder.",
        "Upprepade snatterier under eftermiddagen, butiken har larmat.",
        "Snatteri, varor tagna vid kassorna.",
    ),
    "ORDNING_OLOVLIGT_BOENDE": (
        "Tecken på att någon sover i trapphuset: filtar och matrester.",
        "Olovligt boende i källarförrådet.",
    ),
    "ORDNING_BUSKORNING": (
        "Buskörning med moped på gång- och cykelvägen.",
        "A-traktor kör på gångytan vid torget.",
    ),
    "ORDNING_OBEHORIGA": (
        "Obehöriga i trapphuset, porten uppställd.",
        "Okända personer i tvättstugan sent på kvällen.",
        "Cirka {n} obehöriga i källargången.",
    ),
    "ORDNING_TILLHYGGEN": (
        "Stenupplag som kan användas som tillhyggen.",
        "Lösa gatstenar och järnrör intill lekplatsen.",
    ),
    "ORDNING_INCIDENT_PERSONAL": (
        "Personal fick glåpord och föremål kastade mot sig.",
        "Väktare utsattes för hot vid rondering.",
    ),
    "NEDSKRAPNING_FIMPAR": (
        "Mycket fimpar vid entrén och bänkarna.",
        "Fimpar och snusprillor runt busshållplatsen.",
    ),
    "NEDSKRAPNING_FOLIE": (
        "Foliebitar och fimpar på marken, troligen från narkotikabruk.",
        "Bränd folie i buskaget.",
    ),
    "NEDSKRAPNING_GLAS": (
        "Krossat glas från flaskor på gångvägen.",
        "Glasflaskor och burkar kvar efter helgen.",
    ),
    "NEDSKRAPNING_GROVSOPOR": (
        "Grovsopor dumpade vid soprummet.",
        "Madrass och möbler lämnade på gården.",
    ),
    "OTRYGG_PLATS_BELYSNING": (
        "Flera lampor ur funktion, gångvägen är helt mörk.",
        "Bristfällig belysning mellan parkeringen och entrén.",
    ),
    "OTRYGG_PLATS_VEGETATION": (
        "Buskar har vuxit över gångvägen och skymmer sikten.",
        "Tät vegetation vid tunneln skapar dolda utrymmen.",
    ),
    "OTRYGG_PLATS_INSYN": ("Dålig insyn i passagen, ingen ser vad som händer.",),
    "OTRYGG_PLATS_ODSLIG": ("Ödslig plats kvällstid, få människor i rörelse.",),
    "OTRYGG_PLATS_TRAFIK": ("Otydlig övergång, bilar kör fort förbi skolan.",),
    "OTRYGG_PLATS_UNDERHALL": ("Trasigt staket och gammalt klotter som inte tagits bort.",),
    "TRYGG_PLATS": (
        "Bra belysning och folk i rörelse, känns tryggt.",
        "Nyrenoverad lekplats, många familjer på plats.",
        "Nattvandrare på plats, lugn stämning.",
    ),
    "ARRANGEMANG": (
        "Sommaraktivitet med cirka {n} besökare, lugnt.",
        "Konsert i parken, arrangörens egna värdar på plats.",
        "Marknad med mycket folk, inga störningar.",
    ),
    "OVRIGT": (
        "Övergiven cykel vid cykelställen.",
        "Hund som springer lös i parken.",
        "Ljud från en fläkt vid fastigheten stör på kvällarna.",
    ),
}
AFTERTHOUGHTS = (
    "Återkommande problem.",
    "Har rapporterats tidigare.",
    "Ingen kvar på platsen vid kontroll.",
    "Fastighetsägaren informerad.",
    "Åtgärd önskas snarast.",
)

# (younger than this many days, status weights)
STATUS_BY_AGE = (
    (7, (("ny", 70), ("granskad", 30))),
    (30, (("ny", 20), ("granskad", 45), ("atgard_planerad", 20), ("atgardad", 8),
          ("avslutad", 4), ("avvisad", 3))),
    (90, (("granskad", 15), ("atgard_planerad", 20), ("atgardad", 30), ("avslutad", 30),
          ("avvisad", 5))),
    (math.inf, (("granskad", 2), ("atgard_planerad", 2), ("atgardad", 36), ("avslutad", 55),
                ("avvisad", 5))),
)  # fmt: skip
METRES_PER_DEGREE = 111_320.0
USER_BY_HANDLE = {user.email.split("@")[0]: user for user in USERS}


def months_before(today: date, months: int) -> date:
    """Return the date ``months`` calendar months before ``today``, clamped to the month's end."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(today.day, last_day))


def window(today: date) -> tuple[datetime, datetime]:
    """Return the demo's time window: local midnight 30 months ago up to local midnight today."""
    start = datetime.combine(months_before(today, MONTHS_BACK), time(0), STOCKHOLM)
    end = datetime.combine(today, time(0), STOCKHOLM)
    return start, end


def _pick(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    """Return one of the (value, weight) ``options``."""
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


class _Builder:
    """Draws observations theme by theme from one seeded random stream."""

    def __init__(self, today: date, seed: int, areas: tuple[DemoArea, ...]):
        self.rng = random.Random(seed)
        self.today = today
        self.seed = seed
        self.start, self.end = window(today)
        self.days = [
            self.start.date() + timedelta(d) for d in range((today - self.start.date()).days)
        ]
        self.shapes = {area.name: shape(area.geometry) for area in areas}
        for boundary in self.shapes.values():
            shapely.prepare(boundary)
        self.receipt_codes: set[str] = set()
        self.observations: list[DemoObservation] = []

    def theme(self, theme: Theme) -> None:
        """Add the observations of ``theme``, their days drawn by season, weekday and trend."""
        weights = [self._day_weight(theme, day) for day in self.days]
        for day in self.rng.choices(self.days, weights=weights, k=theme.count):
            self.observations.append(self._observation(theme, day))

    def _day_weight(self, theme: Theme, day: date) -> float:
        seasonal = theme.months[day.month - 1] * theme.weekdays[day.weekday()]
        return seasonal * theme.trend(day, self.today)

    def _observation(self, theme: Theme, day: date) -> DemoObservation:
        rng = self.rng
        index = len(self.observations)
        spot = _pick(rng, theme.spots)
        category = _pick(rng, theme.categories)
        source = _pick(rng, theme.sources)
        reporter = None if source == PUBLIC else USER_BY_HANDLE[_pick(rng, REPORTERS[source])]
        occurred = self._moment(theme, day)
        persons = self._persons(theme, category)
        lat, lon = self._point(spot)
        return DemoObservation(
            id=uuid.uuid5(OBSERVATION_NAMESPACE, f"{self.seed}:{index}"),
            occurred_at=occurred.astimezone(UTC),
            created_at=self._created(occurred, source).astimezone(UTC),
            lat=lat,
            lon=lon,
            accuracy_m=float(rng.randint(5, 40) if reporter is None else rng.randint(3, 15)),
            area=spot.area,
            place_text=spot.text,
            place_type=spot.place_type,
            category=category,
            description=self._description(category, persons),
            persons_count=persons,
            age_group=_pick(rng, theme.ages) if persons else None,
            assessment=_pick(rng, tuple(zip((1, 2, 3), theme.assessment, strict=True))),
            source=source,
            reporter_email=reporter.email if reporter else None,
            organisation=reporter.organisation if reporter else None,
            contact_email=None,
            status=self._status(occurred),
            police_reported=rng.random() < theme.police_share,
            receipt_code=self._receipt_code() if reporter is None else None,
        )

    def _moment(self, theme: Theme, day: date) -> datetime:
        """Return a local time on ``day`` (nights run on to 06:00 the next morning)."""
        offset = self.rng.choices(range(24), weights=theme.hours)[0]
        moment = datetime.combine(day, time(6), STOCKHOLM) + timedelta(
            hours=offset, minutes=self.rng.randrange(60), seconds=self.rng.randrange(60)
        )
        return moment - timedelta(days=1) if moment >= self.end else moment

    def _created(self, occurred: datetime, source: str) -> datetime:
        """Return when the server got it: minutes later, or hours when captured offline."""
        if source != PUBLIC and self.rng.random() < 0.2:
            delay = timedelta(seconds=self.rng.randint(3_600, 18 * 3_600))
        else:
            delay = timedelta(seconds=self.rng.randint(60, 30 * 60))
        return min(occurred + delay, self.end)  # never after the window (occurred is before it)

    def _persons(self, theme: Theme, category: str) -> int | None:
        if theme.persons is None:
            return None
        if not (category.startswith("SAMLING") or category in PEOPLE_CODES):
            return None
        return self.rng.randint(*theme.persons)

    def _point(self, spot: Spot) -> tuple[float, float]:
        """Return a point in the spot's area: near its centre if it has one, else anywhere."""
        boundary = self.shapes[spot.area]
        for attempt in range(200):
            near = spot.centre if attempt < 20 else None
            lat, lon = self._candidate(near, spot.spread_m, boundary.bounds)
            if shapely.contains_xy(boundary, lon, lat):
                return lat, lon
        raise ValueError(f"no point found in {spot.area}")

    def _candidate(
        self, centre: tuple[float, float] | None, spread_m: float, bounds: tuple[float, ...]
    ) -> tuple[float, float]:
        if centre is None:
            west, south, east, north = bounds
            return round(self.rng.uniform(south, north), 6), round(self.rng.uniform(west, east), 6)
        lat, lon = centre
        dlat = self.rng.gauss(0, spread_m) / METRES_PER_DEGREE
        dlon = self.rng.gauss(0, spread_m) / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
        return round(lat + dlat, 6), round(lon + dlon, 6)

    def _description(self, category: str, persons: int | None) -> str:
        templates = [t for t in DESCRIPTIONS[category] if persons is not None or "{n}" not in t]
        text = self.rng.choice(templates).format(n=persons)
        if self.rng.random() < 0.3:
            text = f"{text} {self.rng.choice(AFTERTHOUGHTS)}"
        return text

    def _status(self, occurred: datetime) -> str:
        age = (self.today - occurred.date()).days
        weights = next(options for limit, options in STATUS_BY_AGE if age < limit)
        return _pick(self.rng, weights)

    def _receipt_code(self) -> str:
        while True:
            code = "".join(self.rng.choices(RECEIPT_ALPHABET, k=8))
            if code not in self.receipt_codes:
                self.receipt_codes.add(code)
                return code


def generate(today: date, seed: int = 2026) -> DemoData:
    """Return Kumla's demo data for the 30 months before ``today``, the same for the same inputs."""
    areas = demo_areas()
    builder = _Builder(today, seed, areas)
    for theme in THEMES:
        builder.theme(theme)
    observations = sorted(builder.observations, key=lambda o: (o.occurred_at, str(o.id)))
    return DemoData(ORGANISATIONS, USERS, areas, tuple(observations))
