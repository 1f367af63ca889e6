"""Observations, their photos and the partners' comments on them."""

import uuid
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organisation, User
from ..areas.models import Area
from ..categories.models import Category
from ..clock import UTCDateTime, now_utc
from ..extensions import db

STATUSES = ("ny", "granskad", "atgard_planerad", "atgardad", "avslutad", "avvisad")
PLACE_TYPES = (
    "gata_torg",
    "park",
    "parkering",
    "trapphus",
    "skolgard",
    "butik_centrum",
    "kollektivtrafik",
    "annat",
)
AGE_GROUPS = ("barn", "unga", "vuxna", "blandat")
PUBLIC_SOURCE = "public"
MODERATION_STATES = ("pending", "accepted", "spam")
FEELINGS = ("trygg", "otrygg")
TIMES_OF_DAY = ("dag", "kväll", "natt")


class Observation(db.Model):
    """One thing seen in public space that creates crime or insecurity (or feels safe)."""

    __table_args__ = (
        # Keyset pagination of the review inbox and the map's bounding-box queries.
        Index("ix_observation_occurred_id", "occurred_at", "id"),
        Index("ix_observation_created_id", "created_at", "id"),
        Index("ix_observation_status_created", "status", "created_at"),
        Index("ix_observation_lat_lon", "lat", "lon"),
        # Only merged duplicates: "not merged" filters never pick an index of mostly NULLs.
        Index(
            "ix_observation_duplicate_of_id",
            "duplicate_of_id",
            postgresql_where=text("duplicate_of_id IS NOT NULL"),
            sqlite_where=text("duplicate_of_id IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    lat: Mapped[float]
    lon: Mapped[float]
    accuracy_m: Mapped[float | None]
    place_text: Mapped[str] = mapped_column(String(300), default="")
    place_type: Mapped[str | None] = mapped_column(String(32))
    area_id: Mapped[int | None] = mapped_column(
        ForeignKey("area.id", ondelete="SET NULL"), index=True
    )
    # A coordinator chose the area by hand: boundary changes no longer move it.
    area_locked: Mapped[bool] = mapped_column(default=False)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    persons_count: Mapped[int | None]
    age_group: Mapped[str | None] = mapped_column(String(16))
    assessment: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(32))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(32), default="ny")
    # Why it was rejected (avvisad) or reopened, as the coordinator wrote it.
    status_reason: Mapped[str] = mapped_column(Text, default="")
    duplicate_of_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("observation.id"))
    police_reported: Mapped[bool] = mapped_column(default=False)
    receipt_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    walk_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("safety_walk.id", ondelete="SET NULL"), index=True
    )
    # A walk's checklist answers for this stop: {item key: answer}.
    checklist: Mapped[dict | None] = mapped_column(JSON)
    # Public submissions: how the place feels and when; kept out of analysis until accepted.
    feeling: Mapped[str | None] = mapped_column(String(8))
    time_of_day: Mapped[str | None] = mapped_column(String(8))
    moderation: Mapped[str] = mapped_column(String(16), default="accepted", index=True)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign.id", ondelete="SET NULL"), index=True
    )
    # Feedback the municipality writes for the reporter (shown on the public receipt page).
    feedback: Mapped[str] = mapped_column(Text, default="")
    # sha256 of the content as first submitted: a replay of the same id is compared against it.
    submitted_hash: Mapped[str | None] = mapped_column(String(64))

    area: Mapped[Area | None] = relationship()
    category: Mapped[Category] = relationship()
    reporter: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    duplicate_of: Mapped[Optional["Observation"]] = relationship(remote_side=[id])
    photos: Mapped[list["Photo"]] = relationship(
        back_populates="observation", cascade="all, delete-orphan", order_by="Photo.created_at"
    )
    comments: Mapped[list["Comment"]] = relationship(
        back_populates="observation", cascade="all, delete-orphan", order_by="Comment.created_at"
    )


def counted():
    """Return the condition for observations that count in analysis.

    Public submissions count once a coordinator has accepted them; a merged duplicate counts
    through its original.
    """
    return (Observation.moderation == "accepted") & Observation.duplicate_of_id.is_(None)


class Photo(db.Model):
    """A photo of an observation, stripped of metadata and stored with it in the database."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    observation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("observation.id", ondelete="CASCADE"), index=True
    )
    content_type: Mapped[str] = mapped_column(String(32), default="image/jpeg")
    width: Mapped[int]
    height: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    # sha256 of the bytes as uploaded, so that a replayed upload is recognised.
    source_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    observation: Mapped[Observation] = relationship(back_populates="photos")


class Comment(db.Model):
    """A partner's comment on an observation, internal to its organisation or shared."""

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("observation.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    body: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    observation: Mapped[Observation] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()
    organisation: Mapped[Organisation] = relationship()
