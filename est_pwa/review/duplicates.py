"""Likely duplicates of an observation, and merging a duplicate into its original."""

import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from ..audit.models import record
from ..extensions import db
from ..observations.models import Observation
from ..permissions import observation_scope
from .service import ReviewError

EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE_LAT = 111_320


@dataclass
class Candidate:
    """A likely duplicate and how far it lies from the observation under review."""

    observation: Observation
    distance_m: float
    hours_apart: float


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def suggest(observation: Observation, user, limit: int = 10) -> list[Candidate]:
    """Return observations of the same category, close in place and time, nearest first."""
    radius = current_app.config["DUPLICATE_DISTANCE_M"]
    window = timedelta(hours=current_app.config["DUPLICATE_WINDOW_HOURS"])
    family = observation.category.main
    dlat = radius / METRES_PER_DEGREE_LAT
    dlon = dlat / max(math.cos(math.radians(observation.lat)), 0.01)
    query = db.select(Observation).where(
        observation_scope(user),
        Observation.id != observation.id,
        Observation.duplicate_of_id.is_(None),
        Observation.moderation != "spam",
        Observation.category_id.in_([family.id, *(child.id for child in family.children)]),
        Observation.lat.between(observation.lat - dlat, observation.lat + dlat),
        Observation.lon.between(observation.lon - dlon, observation.lon + dlon),
        Observation.occurred_at.between(
            observation.occurred_at - window, observation.occurred_at + window
        ),
    )
    found = [_candidate(observation, other) for other in db.session.scalars(query)]
    found = [c for c in found if c.distance_m <= radius]
    return sorted(found, key=lambda c: (c.distance_m, c.hours_apart))[:limit]


def _candidate(observation: Observation, other: Observation) -> Candidate:
    hours = abs((other.occurred_at - observation.occurred_at).total_seconds()) / 3600
    far = distance_m(observation.lat, observation.lon, other.lat, other.lon)
    return Candidate(other, far, hours)


def merge(duplicate: Observation, original: Observation) -> None:
    """Point ``duplicate`` (and what was merged into it) at ``original``; both keep their photos.

    A merged duplicate no longer counts in analysis (``counted()``); its history stays its own.
    """
    if original.duplicate_of_id is not None:
        original = original.duplicate_of
    if duplicate.id == original.id:
        raise ReviewError(_("An observation cannot be merged into itself."))
    followers = db.session.scalars(db.select(Observation).filter_by(duplicate_of_id=duplicate.id))
    for follower in [duplicate, *followers]:
        follower.duplicate_of_id = original.id
        record("observation.merge", follower, original=str(original.id))
    record("observation.merged_in", original, duplicate=str(duplicate.id))


def unmerge(duplicate: Observation) -> None:
    """Make a merged duplicate an observation of its own again."""
    if duplicate.duplicate_of_id is None:
        raise ReviewError(_("The observation is not merged into another."))
    record("observation.unmerge", duplicate, original=str(duplicate.duplicate_of_id))
    duplicate.duplicate_of_id = None
