"""The demo's organised safety walk: an evening walk in Ekeberg with six stops."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from .generator import BOSTADER, KOMMUNLEDNING, POLISEN, STOCKHOLM

# Fixed, so that loading the demo again finds the walk and its stops instead of adding them twice.
DEMO_WALK_ID = uuid.UUID("5e7a1c2e-9b4d-4c1e-8f3a-0d6b2a7c9e11")
DAYS_AGO = 9
WALK_AREA = "Ekeberg"
ROUTE = (
    (59.1205, 15.1335), (59.1196, 15.1372), (59.1183, 15.1401), (59.1168, 15.1432),
    (59.1152, 15.1468), (59.1139, 15.1503), (59.1127, 15.1471), (59.1121, 15.1428),
)  # fmt: skip
TAKING_PART = (
    KOMMUNLEDNING, BOSTADER, POLISEN, "Hyresgästföreningen Ekeberg", "Fritidsgården Ekeberg"
)  # fmt: skip


@dataclass(frozen=True)
class DemoStop:
    """One stop of the demo walk, as a participant reported it."""

    minutes: int  # after the walk's start
    lat: float
    lon: float
    category: str
    place_text: str
    place_type: str
    description: str
    reporter: str  # demo log-in's local part
    status: str
    checklist: dict


STOPS = (
    DemoStop(5, 59.1199, 15.1360, "OTRYGG_PLATS_BELYSNING", "Gångtunneln mot centrum", "gata_torg",
             "Två av fyra armaturer i tunneln är släckta. Mörkt redan vid 19.", "coordinator",
             "atgard_planerad",
             {"belysning": "brist", "sikt": "brist", "nedskrapning": "bra", "kansla": 2}),
    DemoStop(18, 59.1185, 15.1398, "OTRYGG_PLATS_VEGETATION", "Stigen bakom förskolan", "park",
             "Buskarna längs stigen skymmer sikten mot parkeringen.", "caretaker", "granskad",
             {"vegetation": "brist", "sikt": "brist", "belysning": "bra", "kansla": 2}),
    DemoStop(31, 59.1167, 15.1436, "SKADEGORELSE_KLOTTER", "Cykelrummet vid gården", "trapphus",
             "Klotter på dörren och en trasig lampa i cykelrummet.", "caretaker", "atgardad",
             {"skadegorelse": "brist", "underhall": "brist", "belysning": "brist", "kansla": 3}),
    DemoStop(44, 59.1150, 15.1472, "NEDSKRAPNING_GROVSOPOR", "Återvinningsstationen",
             "parkering", "Grovsopor ställda bredvid containrarna.", "coordinator", "ny",
             {"nedskrapning": "brist", "underhall": "brist", "trafik": "ej_bedomt", "kansla": 3}),
    DemoStop(58, 59.1136, 15.1498, "OTRYGG_PLATS_TRAFIK", "Övergångsstället vid busshållplatsen",
             "kollektivtrafik", "Bilar kör fort förbi; övergångsstället är dåligt upplyst.",
             "police", "granskad", {"trafik": "brist", "belysning": "brist", "kansla": 2}),
    DemoStop(72, 59.1123, 15.1440, "TRYGG_PLATS", "Lekplatsen på gården", "park",
             "Ny belysning och god insyn från husen. Upplevs som trygg.", "coordinator", "avslutad",
             {"belysning": "bra", "vegetation": "bra", "sikt": "bra", "kansla": 5}),
)  # fmt: skip


def walk_start(today: date) -> datetime:
    """Return when the demo walk began: an evening nine days before ``today``, in UTC."""
    evening = datetime.combine(today - timedelta(days=DAYS_AGO), time(19, 0), STOCKHOLM)
    return evening.astimezone(UTC)


def stop_id(number: int) -> uuid.UUID:
    """Return the fixed id of stop ``number`` of the demo walk."""
    return uuid.uuid5(DEMO_WALK_ID, f"stop-{number}")


def walk_fields(today: date) -> dict:
    """Return the demo walk's columns."""
    return {
        "id": DEMO_WALK_ID,
        "title": "Trygghetsvandring i Ekeberg",
        "starts_at": walk_start(today),
        "kind": "natt",
        "route": {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in ROUTE]},
        "organisations": "\n".join(TAKING_PART),
        "participants_count": 14,
        "notes": "Samling vid Ekebergs centrum kl. 19. Boende från tre gårdar deltog. "
        "Protokollet skickas till deltagarna och följs upp i åtgärdsplanen.",
        "status": "genomford",
    }
