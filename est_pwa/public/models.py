"""Campaigns: the e-service opened for a period and an area with its own intro text."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..clock import UTCDateTime, now_utc
from ..extensions import db


class Campaign(db.Model):
    """A period in which the municipality asks residents about one area."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    intro: Mapped[str] = mapped_column(Text, default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    area: Mapped[Area | None] = relationship()

    def is_open(self, today: date) -> bool:
        """Return whether the campaign takes submissions on ``today``."""
        return self.starts_on <= today <= self.ends_on
