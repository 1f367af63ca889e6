"""Areas: named polygons that observations are counted in."""

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

    def __str__(self) -> str:
        return self.name
