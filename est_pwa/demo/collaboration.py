"""The partners' work on the demo's latest observations: comments, feedback and a merged duplicate.

Deterministic for a given day, and added once: a second run finds the comments and adds nothing.
"""

import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..clock import STOCKHOLM
from ..observations.models import Comment, Observation
from .generator import EMAIL_DOMAIN

# (author, shared with the EST group, text), one per observation, newest observation first.
COMMENTS = (
    ("police", True, "Polisen ökar närvaron vid platsen fredag och lördag kväll."),
    ("police", False, "Platsen finns i vår egen lägesbild; tas upp på måndagens genomgång."),
    ("caretaker", True, "Belysningen i gången byts på torsdag."),
    ("coordinator", True, "Tas upp på veckans EST-möte."),
    ("guard", True, "Vi lägger till platsen i kvällsronden."),
)
FEEDBACK = "Tack för rapporten! Platsen är åtgärdad och vi följer upp på nästa vandring."


def add_collaboration(session: Session, today: date) -> int:
    """Add comments, feedback and a merged duplicate to last week's latest observations.

    Last week is the one the weekly picture shows by default; return the number of comments.
    """
    if session.scalar(select(Comment.id).limit(1)) is not None:
        return 0
    users = {u.email.split("@")[0]: u for u in session.scalars(select(User))}
    monday = datetime.combine(today - timedelta(days=today.weekday()), time(), STOCKHOLM)
    latest = session.scalars(
        select(Observation)
        .where(Observation.walk_id.is_(None), Observation.reporter_id.is_not(None))
        .where(Observation.occurred_at < monday - timedelta(hours=6))
        .order_by(Observation.occurred_at.desc(), Observation.id)
        .limit(len(COMMENTS) + 3)
    ).all()
    for observation, (handle, shared, body) in zip(latest, COMMENTS, strict=False):
        author = users[handle]
        created = observation.created_at + timedelta(hours=2)
        session.add(
            Comment(
                observation=observation,
                author=author,
                organisation_id=author.organisation_id,
                body=body,
                shared=shared,
                created_at=created,
            )
        )
    _feedback(latest[len(COMMENTS) : len(COMMENTS) + 2])
    _merge_duplicate(session, latest[-1])
    return len(COMMENTS)


def _feedback(observations: list[Observation]) -> None:
    for observation in observations:
        observation.status = "atgardad"
        observation.feedback = FEEDBACK


def _merge_duplicate(session: Session, original: Observation) -> None:
    """Add a second report of the same thing a little later, merged into ``original``."""
    reporter = session.scalar(select(User).filter_by(email=f"guard@{EMAIL_DOMAIN}"))
    session.add(
        Observation(
            id=_duplicate_id(original),
            occurred_at=original.occurred_at + timedelta(minutes=40),
            created_at=original.created_at + timedelta(minutes=45),
            updated_at=original.created_at + timedelta(minutes=45),
            lat=original.lat + 0.0002,
            lon=original.lon + 0.0002,
            place_text=original.place_text,
            category_id=original.category_id,
            area_id=original.area_id,
            description="Samma sak som rapporterades tidigare i kväll.",
            source=reporter.organisation.kind,
            reporter=reporter,
            organisation=reporter.organisation,
            duplicate_of_id=original.id,
        )
    )


def _duplicate_id(original: Observation) -> uuid.UUID:
    return uuid.uuid5(original.id, "demo-duplicate")
