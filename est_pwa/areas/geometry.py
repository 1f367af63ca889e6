"""Reading area boundaries from GeoJSON or a typed list of points, and checking them."""

import json
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from shapely.geometry import shape
from shapely.validation import explain_validity

POINT_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


class GeometryError(ValueError):
    """A boundary that cannot be used, with a message for the user."""


@dataclass(frozen=True)
class NamedBoundary:
    """A boundary read from a file, with the name its feature carried."""

    name: str
    geometry: dict
    prioritised: bool = False


def _check_ring(ring) -> None:
    if len(ring) < 4:
        raise GeometryError(_l("A boundary needs at least three distinct points."))
    if list(ring[0]) != list(ring[-1]):
        raise GeometryError(_l("The polygon does not close: its first and last points differ."))
    for point in ring:
        if len(point) < 2 or not all(isinstance(c, int | float) for c in point[:2]):
            raise GeometryError(_l("Every point needs a longitude and a latitude."))


def _invalid_reason(explanation: str):
    # shapely explains in English; the user gets our own (translated) words for the usual cases.
    if explanation.startswith("Self-intersection"):
        return _l("The boundary crosses itself. Check the order of the points.")
    if explanation.startswith("Too few points"):
        return _l("A boundary needs at least three distinct points.")
    return _l("The boundary is not a valid polygon. Check the points.")


def check_geometry(geometry: dict, bounds: list[float]) -> dict:
    """Return ``geometry`` (a GeoJSON Polygon or MultiPolygon) if it is a valid boundary."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise GeometryError(_l("An area must be a Polygon or a MultiPolygon."))
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise GeometryError(_l("The polygon has no coordinates."))
    polygons = coordinates if geometry["type"] == "MultiPolygon" else [coordinates]
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise GeometryError(_l("The polygon has no coordinates."))
        for ring in polygon:
            _check_ring(ring)
    boundary = shape(geometry)
    if not boundary.is_valid:
        raise GeometryError(_invalid_reason(explain_validity(boundary)))
    south, west, north, east = bounds
    min_lon, min_lat, max_lon, max_lat = boundary.bounds
    if min_lat < south or max_lat > north or min_lon < west or max_lon > east:
        raise GeometryError(_l("The area lies outside the municipality (check the point order)."))
    return {"type": geometry["type"], "coordinates": coordinates}


def read_points(text: str) -> list[list[float]]:
    """Return the ``[lon, lat]`` points of lines of ``lat, lon``; blank lines are skipped."""
    points = []
    for number, line in enumerate(text.strip().splitlines(), start=1):
        if not line.strip():
            continue
        # "59.1277, 15.1434" and the Swedish "59,1277 15,1434" both read as latitude, longitude.
        numbers = POINT_NUMBER.findall(line)
        try:
            if len(numbers) != 2:
                raise ValueError(line)
            lat, lon = (float(number.replace(",", ".")) for number in numbers)
        except ValueError:
            raise GeometryError(
                _l("Line %(n)s is not a point written as latitude, longitude.", n=number)
            ) from None
        points.append([lon, lat])
    return points


def parse_point_list(text: str, bounds: list[float]) -> dict:
    """Return a Polygon from lines of ``lat, lon`` (closed automatically)."""
    points = read_points(text)
    if points and points[0] != points[-1]:
        points.append(points[0])
    return check_geometry({"type": "Polygon", "coordinates": [points]}, bounds)


def parse_route_points(text: str, bounds: list[float]) -> dict | None:
    """Return a LineString from lines of ``lat, lon``, or None for no text; points stay open."""
    points = read_points(text)
    if not points:
        return None
    if len(points) < 2:
        raise GeometryError(_l("A route needs at least two points."))
    south, west, north, east = bounds
    for number, (lon, lat) in enumerate(points, start=1):
        if not (south <= lat <= north and west <= lon <= east):
            raise GeometryError(
                _l("Point %(n)s lies outside the municipality (check the point order).", n=number)
            )
    return {"type": "LineString", "coordinates": points}


def _features(document) -> list:
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "FeatureCollection":
        return document.get("features") or []
    if kind == "Feature":
        return [document]
    if kind in ("Polygon", "MultiPolygon"):
        return [{"type": "Feature", "properties": {}, "geometry": document}]
    raise GeometryError(_l("The file is not GeoJSON (no FeatureCollection, Feature or Polygon)."))


def parse_geojson(raw: bytes | str, bounds: list[float]) -> list[NamedBoundary]:
    """Return the named boundaries of a GeoJSON document; every feature needs a name."""
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise GeometryError(_l("The file is not valid JSON.")) from None
    boundaries = []
    for index, feature in enumerate(_features(document), start=1):
        properties = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        name = str(properties.get("name") or properties.get("namn") or "").strip()
        if not name:
            raise GeometryError(_l("Feature %(n)s has no name property.", n=index))
        try:
            geometry = check_geometry(feature.get("geometry"), bounds)
        except GeometryError as error:
            raise GeometryError(f"{name}: {error}") from None
        prioritised = bool(properties.get("prioritised") or properties.get("prioriterat"))
        boundaries.append(NamedBoundary(name[:120], geometry, prioritised))
    if not boundaries:
        raise GeometryError(_l("The file holds no areas."))
    return boundaries
