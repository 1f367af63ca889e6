"""Areas: named polygons that observations are counted in."""

import math
from datetime import datetime

from shapely.geometry import shape
from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import UTCDateTime, now_utc
from ..extensions import db


class Area(db.Model):
    """A named part of the municipality with its boundary as a GeoJSON geometry (WGS84)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    geometry: Mapped[dict] = mapped_column(JSON)
    prioritised: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    @property
    def shape(self):
        """Return the boundary as a shapely geometry."""
        return shape(self.geometry)

    def centre(self) -> tuple[float, float, float]:
        """Return a point inside the area (lat, lon) and the distance in m to its corners."""
        point = self.shape.representative_point()
        min_lon, min_lat, max_lon, max_lat = self.shape.bounds
        # A degree of latitude is ~111 km; longitude shrinks with the cosine of the latitude.
        half_height = (max_lat - min_lat) / 2 * 111_000
        half_width = (max_lon - min_lon) / 2 * 111_000 * math.cos(math.radians(point.y))
        return point.y, point.x, round(math.hypot(half_height, half_width))

    def __str__(self) -> str:
        return self.name
