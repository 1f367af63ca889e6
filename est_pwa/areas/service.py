"""Changing areas and keeping every observation's area in step with the boundaries."""

import functools
import json

import numpy as np
import shapely
from shapely.geometry import shape
from sqlalchemy import Text, cast
from sqlalchemy.orm import make_transient_to_detached

from ..audit.models import record
from ..extensions import db
from ..observations.models import Observation
from .geometry import NamedBoundary
from .models import Area


def assign_areas(observations=None) -> int:
    """Recompute the area of ``observations`` (all when None) from their points; return changes.

    An area a coordinator chose by hand stays.
    """
    areas = db.session.scalars(db.select(Area).order_by(Area.prioritised.desc(), Area.id)).all()
    if observations is None:
        observations = db.session.scalars(db.select(Observation)).all()
    observations = [o for o in observations if not o.area_locked]
    if not observations:
        return 0
    lons = np.array([o.lon for o in observations])
    lats = np.array([o.lat for o in observations])
    found = np.full(len(observations), None, dtype=object)
    for area in reversed(areas):  # earlier (prioritised) areas win where boundaries overlap
        found[shapely.contains_xy(area.shape, lons, lats)] = area.id
    changed = 0
    for observation, area_id in zip(observations, found, strict=True):
        if observation.area_id != area_id:
            observation.area_id = area_id
            changed += 1
    db.session.flush()
    return changed


# What an area holds, its boundary as the stored text, in search order: prioritised areas
# first, then by id. Plain columns of the table: no ORM entities to build for every row.
AREA_FIELDS = ("id", "name", "prioritised", "description", "created_at")
AREA_TABLE = Area.__table__
STORED_AREAS = db.select(
    *(AREA_TABLE.c[name] for name in AREA_FIELDS), cast(AREA_TABLE.c.geometry, Text)
).order_by(AREA_TABLE.c.prioritised.desc(), AREA_TABLE.c.id)


@functools.lru_cache(maxsize=1)
def searchable_areas(rows: tuple[tuple, ...]) -> tuple[tuple[Area, ...], np.ndarray]:
    """Return the detached areas of the stored ``rows`` and their prepared boundaries."""
    areas = tuple(Area(**dict(zip(AREA_FIELDS, fields, strict=True))) for *fields, _ in rows)
    for area in areas:
        make_transient_to_detached(area)  # as if loaded; the boundary loads when asked for
    boundaries = np.array([shape(json.loads(text)) for *_, text in rows], dtype=object)
    shapely.prepare(boundaries)
    return areas, boundaries


def area_for_point(lat: float, lon: float) -> Area | None:
    """Return the area that contains the point, if any; the first in search order wins."""
    # The cache is keyed on the areas as stored, read on every call, so a change made by any
    # worker counts at once; only building the areas and their shapes again is spared.
    db.session.flush()  # so that the search sees what this session has changed
    rows = tuple(tuple(row) for row in db.session.execute(STORED_AREAS))
    areas, boundaries = searchable_areas(rows)
    inside = np.flatnonzero(shapely.contains_xy(boundaries, lon, lat))
    if not inside.size:
        return None
    return db.session.merge(areas[inside[0]], load=False)  # this session's copy, no SELECT


def save_area(area: Area, **fields) -> Area:
    """Create or update ``area``, audit it and reassign the observations."""
    creating = area.id is None
    for name, value in fields.items():
        setattr(area, name, value)
    db.session.add(area)
    db.session.flush()
    record("area.create" if creating else "area.update", area, name=area.name)
    assign_areas()
    return area


def delete_area(area: Area) -> None:
    """Delete ``area``; its observations fall to whichever area now holds them."""
    record("area.delete", area, name=area.name)
    db.session.delete(area)
    db.session.flush()
    assign_areas()


def import_boundaries(boundaries: list[NamedBoundary]) -> tuple[int, int]:
    """Create or update areas by name from ``boundaries``; return (created, updated)."""
    created = updated = 0
    for boundary in boundaries:
        area = db.session.scalar(db.select(Area).filter_by(name=boundary.name)) or Area()
        created, updated = (created + 1, updated) if area.id is None else (created, updated + 1)
        fields = {"name": boundary.name, "geometry": boundary.geometry}
        if boundary.prioritised:
            fields["prioritised"] = True
        for name, value in fields.items():
            setattr(area, name, value)
        db.session.add(area)
        db.session.flush()
        record("area.import", area, name=area.name)
    assign_areas()
    return created, updated
