"""Audit events: who did what to which object, and when."""

from datetime import datetime

from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..clock import UTCDateTime, now_utc
from ..extensions import db


class AuditEvent(db.Model):
    """One recorded change or export."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64), index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()


def record(action: str, obj, **details) -> AuditEvent:
    """Add an audit event for ``action`` on ``obj`` by the current user (flushed, not committed)."""
    actor = current_user if getattr(current_user, "is_authenticated", False) else None
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=str(obj.id),
        details=details,
    )
    db.session.add(event)
    db.session.flush()
    return event
