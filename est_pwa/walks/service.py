"""Planning and changing safety walks, and gathering what was seen on them."""

from collections import Counter

from ..audit.models import record
from ..extensions import db
from ..observations.models import Observation
from .models import DEFAULT_CHECKLIST, SafetyWalk


def new_walk() -> SafetyWalk:
    """Return an unsaved walk with the defaults the plan form starts from."""
    return SafetyWalk(
        title="",
        kind="dag",
        organisations="",
        checklist=[dict(item) for item in DEFAULT_CHECKLIST],
        notes="",
        status="planerad",
    )


def save_walk(walk: SafetyWalk, fields: dict, user) -> SafetyWalk:
    """Create or update ``walk`` with ``fields`` and audit which of them changed."""
    creating = walk.id is None
    changed = sorted(name for name, value in fields.items() if getattr(walk, name) != value)
    for name, value in fields.items():
        setattr(walk, name, value)
    if creating:
        walk.created_by_id = user.id
    db.session.add(walk)
    db.session.flush()
    action = "walk.create" if creating else "walk.update"
    record(action, walk, title=walk.title, status=walk.status, changed=changed)
    return walk


def walk_stops(walk: SafetyWalk) -> list[Observation]:
    """Return the observations made on ``walk``, in the order they were made."""
    query = (
        db.select(Observation)
        .filter_by(walk_id=walk.id)
        .order_by(Observation.occurred_at, Observation.created_at)
    )
    return list(db.session.scalars(query))


def stop_counts(walks: list[SafetyWalk]) -> Counter:
    """Return how many observations each of ``walks`` has, by walk id."""
    if not walks:
        return Counter()
    query = (
        db.select(Observation.walk_id, db.func.count())
        .where(Observation.walk_id.in_([walk.id for walk in walks]))
        .group_by(Observation.walk_id)
    )
    return Counter(dict(db.session.execute(query).all()))


def category_counts(stops: list[Observation]) -> list[tuple[str, int]]:
    """Return (main category name, count) over ``stops``, most frequent first."""
    counts = Counter(stop.category.main.name for stop in stops)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
