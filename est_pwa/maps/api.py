"""The map's JSON: what the view needs, as single points when few, else as counts per cell."""

import math
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Integer, cast, func, literal_column

from ..areas.models import Area
from ..categories.models import Category
from ..extensions import db
from ..labels import STATUS_LABELS
from ..observations.api import json_error
from ..observations.models import Observation
from ..permissions import aggregate_scope, require
from ..review.filters import filter_from_request, filtered_select
from .views import aggregates_only, bp

DEFAULT_POINT_LIMIT = 2000
# A cell spans about this many screen pixels at the view's zoom.
CELL_PX = 64
# However far the view reaches, at most this many cells across and down.
MAX_CELLS_ACROSS = 128
# Counts for users who see no single report stop at cells of ~120 m (zoom 15), close to the
# analysis' 100 m hotspot grid.
AGGREGATE_MAX_ZOOM = 15
MAX_ZOOM = 20
# Up to this zoom a view holds a town or more (~4 km across on a desktop screen).
WIDE_ZOOM = 13
# Cells are counted in whole micro-degrees, shifted positive: integer division then floors
# alike on SQLite (no floor() before 3.35) and PostgreSQL.
MICRO = 1_000_000


class ViewError(ValueError):
    """Raised when the bounding box or the zoom cannot be read."""


@dataclass(frozen=True)
class View:
    """The part of the map on screen: a WGS84 bounding box and a zoom level."""

    west: float
    south: float
    east: float
    north: float
    zoom: int

    def condition(self):
        """Return the SQL condition for observations inside the box."""
        lat, lon = Observation.lat, Observation.lon
        if self.zoom <= WIDE_ZOOM:
            # A wide view reads most rows, and a plain scan then beats the lat/lon index. "+ 0"
            # hides the index from SQLite's planner, which has no histogram to tell it so.
            lat, lon = lat + 0, lon + 0
        return lat.between(self.south, self.north) & lon.between(self.west, self.east)


def parse_view(args) -> View:
    """Return the view in ``bbox=west,south,east,north`` and ``zoom``; raise ViewError."""
    parts = (args.get("bbox") or "").split(",")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise ViewError(_("bbox must be four numbers: west,south,east,north.")) from None
    if not all(math.isfinite(value) for value in (west, south, east, north)):
        raise ViewError(_("bbox must be four numbers: west,south,east,north."))
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ViewError(_("bbox must have west < east within ±180 and south < north within ±90."))
    zoom = args.get("zoom", "")
    if not (zoom.isascii() and zoom.isdigit()) or int(zoom) > MAX_ZOOM:
        raise ViewError(_("zoom must be a whole number from 0 to %(max)s.", max=MAX_ZOOM))
    return View(west, south, east, north, int(zoom))


def map_select(form, user):
    """Return the select of the observations that ``user`` may count on the map."""
    if not aggregates_only(user):
        return filtered_select(form, user)
    # Counts only: every observation counts, but never by what its text says.
    form.q.data = ""
    return db.select(Observation).where(aggregate_scope(user), *form.conditions())


def cell_sizes(view: View, zoom: int) -> tuple[int, int]:
    """Return the (lat, lon) size of a cell in micro-degrees: square, ~CELL_PX px at ``zoom``."""
    lon_size = max(CELL_PX * 360 / (256 * 2**zoom), (view.east - view.west) / MAX_CELLS_ACROSS)
    shrink = math.cos(math.radians((view.south + view.north) / 2))
    lat_size = max(lon_size * shrink, (view.north - view.south) / MAX_CELLS_ACROSS)
    return max(1, round(lat_size * MICRO)), max(1, round(lon_size * MICRO))


def _cell_index(column, offset: int, size: int):
    # Integers written into the SQL (not bound parameters) keep the expression in the select
    # list and in GROUP BY the same text, which PostgreSQL requires.
    shifted = (column + literal_column(str(offset), Integer)) * literal_column(str(MICRO), Integer)
    return cast(func.round(shifted), Integer) // literal_column(str(size), Integer)


def _count_rows(query, view: View, zoom: int):
    lat_size, lon_size = cell_sizes(view, zoom)
    cell = (_cell_index(Observation.lat, 90, lat_size), _cell_index(Observation.lon, 180, lon_size))
    sums = (func.sum(Observation.lat), func.sum(Observation.lon), func.count())
    groups = (*cell, Observation.area_id)
    return db.session.execute(query.with_only_columns(*groups, *sums).group_by(*groups))


def counts(query, view: View, zoom: int) -> tuple[list[dict], Counter]:
    """Return the observations of ``query`` counted per cell (at their mean) and per area id."""
    # One pass over the rows serves both: it counts per cell and area, summed up here.
    cells, areas = defaultdict(lambda: [0.0, 0.0, 0]), Counter()
    for row, column, area_id, lat_sum, lon_sum, count in _count_rows(query, view, zoom):
        cell = cells[row, column]
        cell[:] = cell[0] + lat_sum, cell[1] + lon_sum, cell[2] + count
        areas[area_id] += count
    return [_cell_json(*cell) for cell in cells.values()], areas


def _cell_json(lat_sum: float, lon_sum: float, count: int) -> dict:
    return {"lat": round(lat_sum / count, 6), "lon": round(lon_sum / count, 6), "count": count}


def area_json(areas: Counter) -> list[dict]:
    """Return the counts per area id with the areas' names, the largest count first."""
    names = dict(db.session.execute(db.select(Area.id, Area.name)).all())
    found = [
        {"id": area_id, "name": names.get(area_id), "count": n} for area_id, n in areas.items()
    ]
    return sorted(found, key=lambda area: (-area["count"], area["name"] or ""))


def detail_urls():
    """Return a function that gives an observation's page address (url_for once, not per point)."""
    sample = str(uuid.UUID(int=0))
    head, tail = url_for("review.detail", observation_id=sample).split(sample)
    return lambda observation_id: f"{head}{observation_id}{tail}"


def points(rows) -> list[dict]:
    """Return the rows of single observations as the map and its list show them."""
    names = {category.id: category for category in db.session.scalars(db.select(Category))}
    rows = sorted(rows, key=lambda row: row.occurred_at, reverse=True)
    detail_url = detail_urls()
    return [
        {
            "id": str(row.id),
            "lat": row.lat,
            "lon": row.lon,
            "category": names[row.category_id].code,
            "category_name": names[row.category_id].name,
            "status": row.status,
            "status_label": str(STATUS_LABELS.get(row.status, row.status)),
            "occurred_at": row.occurred_at.isoformat(),
            "url": detail_url(row.id),
        }
        for row in rows
    ]


def point_rows(query, limit: int):
    """Return the rows of ``query``'s points if there are at most ``limit``, else None."""
    # Counting at most limit + 1 ids is cheap even when the view holds 100,000.
    probe = query.with_only_columns(Observation.id).limit(limit + 1).subquery()
    if db.session.scalar(db.select(func.count()).select_from(probe)) > limit:
        return None
    columns = (Observation.id, Observation.lat, Observation.lon, Observation.category_id)
    columns += (Observation.status, Observation.occurred_at)
    return db.session.execute(query.with_only_columns(*columns)).all()


@bp.get("/api/v1/map/observations")
@require("map.view")
def observations():
    """Return the observations in the view: points when few and allowed, else counts per cell."""
    try:
        view = parse_view(request.args)
    except ViewError as error:
        return json_error(400, str(error))
    query = map_select(filter_from_request(), current_user).where(view.condition())
    zoom = view.zoom
    if aggregates_only(current_user):
        zoom = min(zoom, AGGREGATE_MAX_ZOOM)
    else:
        rows = point_rows(query, current_app.config.get("MAP_POINT_LIMIT", DEFAULT_POINT_LIMIT))
        if rows is not None:
            return jsonify(kind="points", total=len(rows), points=points(rows))
    cells, areas = counts(query, view, zoom)
    total = sum(areas.values())
    return jsonify(kind="cells", total=total, cells=cells, areas=area_json(areas))
