"""A planned safety walk with its route, participants and checklist."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..areas.models import Area
from ..clock import UTCDateTime, now_utc
from ..extensions import db

WALK_KINDS = ("dag", "natt")
WALK_STATUSES = ("planerad", "genomford", "installd")
# The classic trygghetsvandring checklist; a coordinator edits it per walk.
DEFAULT_CHECKLIST = (
    {"key": "belysning", "label_sv": "Belysning", "label_en": "Lighting", "scale": "ok"},
    {"key": "vegetation", "label_sv": "Vegetation", "label_en": "Vegetation", "scale": "ok"},
    {"key": "sikt", "label_sv": "Skymd sikt", "label_en": "Obstructed view", "scale": "ok"},
    {"key": "skadegorelse", "label_sv": "Skadegörelse", "label_en": "Vandalism", "scale": "ok"},
    {"key": "nedskrapning", "label_sv": "Nedskräpning", "label_en": "Litter", "scale": "ok"},
    {"key": "trafik", "label_sv": "Trafik", "label_en": "Traffic", "scale": "ok"},
    {"key": "underhall", "label_sv": "Underhåll", "label_en": "Maintenance", "scale": "ok"},
    {"key": "kansla", "label_sv": "Hur känns platsen?", "label_en": "How does the place feel?",
     "scale": "1-5"},
)  # fmt: skip


class SafetyWalk(db.Model):
    """A walk through an area with residents and partners, day or night."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    title: Mapped[str] = mapped_column(String(160))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(8), default="dag")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    route: Mapped[dict | None] = mapped_column(JSON)
    organisations: Mapped[str] = mapped_column(Text, default="")
    participants_count: Mapped[int | None]
    checklist: Mapped[list] = mapped_column(
        JSON, default=lambda: [dict(i) for i in DEFAULT_CHECKLIST]
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="planerad")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    area: Mapped[Area | None] = relationship()
    created_by: Mapped[User | None] = relationship()
