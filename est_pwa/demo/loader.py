"""Loading the Kumla demo into the database: adds what is missing, changes nothing there."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..accounts.models import Organisation, User
from ..areas.models import Area
from ..categories.models import Category
from ..categories.seed import category_codes, ensure_categories
from ..clock import now_utc, to_local
from ..extensions import db
from ..observations.models import Observation
from ..walks.models import SafetyWalk
from . import walk as demo_walk
from .collaboration import COMMENTS, add_collaboration
from .generator import EMAIL_DOMAIN, DemoArea, DemoObservation, DemoOrganisation, DemoUser, generate

CHUNK_SIZE = 500
COPIED_FIELDS = (
    "id",
    "occurred_at",
    "created_at",
    "lat",
    "lon",
    "accuracy_m",
    "place_text",
    "place_type",
    "description",
    "persons_count",
    "age_group",
    "assessment",
    "source",
    "contact_email",
    "status",
    "police_reported",
    "receipt_code",
)


@dataclass(frozen=True)
class DemoSummary:
    """What a demo load added, what was already there, and the demo log-ins."""

    added: dict[str, int]
    existing: dict[str, int]
    logins: tuple[DemoUser, ...]

    def describe(self) -> str:
        """Return a report for the terminal, with the log-ins and their passwords."""
        lines = [
            f"{kind}: {count} added, {self.existing[kind]} already there"
            for kind, count in self.added.items()
        ]
        lines.append("Demo log-ins (e-mail / password / role):")
        lines += [f"  {user.email} / {user.password} / {user.role}" for user in self.logins]
        return "\n".join(lines)


def load_demo(today: date | None = None) -> DemoSummary:
    """Add the missing Kumla demo data to ``db.session`` (flushed, not committed)."""
    data = generate(today or to_local(now_utc()).date())
    session = db.session
    added = {"categories": ensure_categories(session)}
    organisations, added["organisations"] = _organisations(session, data.organisations)
    users, added["users"] = _users(session, data.users, organisations)
    areas, added["areas"] = _areas(session, data.areas)
    session.flush()
    added["observations"] = _observations(session, data.observations, areas, users)
    added["safety walks"] = _safety_walk(session, areas, users, today or to_local(now_utc()).date())
    session.flush()
    added["comments"] = add_collaboration(session, today or to_local(now_utc()).date())
    session.flush()
    wanted = {
        "comments": len(COMMENTS),
        "safety walks": 1,
        "categories": len(category_codes()),
        "organisations": len(data.organisations),
        "users": len(data.users),
        "areas": len(data.areas),
        "observations": len(data.observations),
    }
    existing = {kind: wanted[kind] - count for kind, count in added.items()}
    return DemoSummary(added, existing, data.users)


def _chunks(items: Sequence) -> Iterator[Sequence]:
    for start in range(0, len(items), CHUNK_SIZE):
        yield items[start : start + CHUNK_SIZE]


def _by_key(session: Session, column, keys: list[str]) -> dict:
    """Return the rows of ``column``'s model whose ``column`` is one of ``keys``, by that key."""
    rows = session.scalars(select(column.class_).where(column.in_(keys)))
    return {getattr(row, column.key): row for row in rows}


def _organisations(
    session: Session, wanted: tuple[DemoOrganisation, ...]
) -> tuple[dict[str, Organisation], int]:
    found = _by_key(session, Organisation.name, [o.name for o in wanted])
    missing = [Organisation(name=o.name, kind=o.kind) for o in wanted if o.name not in found]
    session.add_all(missing)
    found.update((o.name, o) for o in missing)
    return found, len(missing)


def _new_user(wanted: DemoUser, organisations: dict[str, Organisation]) -> User:
    user = User(
        email=wanted.email,
        name=wanted.name,
        role=wanted.role,
        organisation=organisations[wanted.organisation],
        active=True,
    )
    user.set_password(wanted.password)
    return user


def _users(
    session: Session, wanted: tuple[DemoUser, ...], organisations: dict[str, Organisation]
) -> tuple[dict[str, User], int]:
    found = _by_key(session, User.email, [u.email for u in wanted])
    missing = [_new_user(u, organisations) for u in wanted if u.email not in found]
    session.add_all(missing)
    found.update((u.email, u) for u in missing)
    return found, len(missing)


def _areas(session: Session, wanted: tuple[DemoArea, ...]) -> tuple[dict[str, Area], int]:
    found = _by_key(session, Area.name, [a.name for a in wanted])
    missing = [
        Area(name=a.name, geometry=a.geometry, prioritised=a.prioritised, description=a.description)
        for a in wanted
        if a.name not in found
    ]
    session.add_all(missing)
    found.update((a.name, a) for a in missing)
    return found, len(missing)


def _observations(
    session: Session,
    observations: tuple[DemoObservation, ...],
    areas: dict[str, Area],
    users: dict[str, User],
) -> int:
    """Bulk-insert the observations whose ids are not in the database yet; return how many."""
    present = set()
    for chunk in _chunks([o.id for o in observations]):
        present.update(session.scalars(select(Observation.id).where(Observation.id.in_(chunk))))
    categories = dict(session.execute(select(Category.code, Category.id)).all())
    rows = [_row(o, categories, areas, users) for o in observations if o.id not in present]
    for chunk in _chunks(rows):
        session.execute(insert(Observation), chunk)
    return len(rows)


def _row(
    observation: DemoObservation,
    categories: dict[str, int],
    areas: dict[str, Area],
    users: dict[str, User],
) -> dict:
    """Return the column values of ``observation`` with its natural keys resolved to ids."""
    reporter = users[observation.reporter_email] if observation.reporter_email else None
    return {
        **{field: getattr(observation, field) for field in COPIED_FIELDS},
        "updated_at": observation.created_at,
        "area_id": areas[observation.area].id,
        "category_id": categories[observation.category],
        "reporter_id": reporter.id if reporter else None,
        "organisation_id": reporter.organisation_id if reporter else None,
    }


def _safety_walk(
    session: Session, areas: dict[str, Area], users: dict[str, User], today: date
) -> int:
    """Add the demo walk and its stops unless the walk is there already; return 1 if added."""
    if session.get(SafetyWalk, demo_walk.DEMO_WALK_ID) is not None:
        return 0
    area = areas[demo_walk.WALK_AREA]
    coordinator = users[f"coordinator@{EMAIL_DOMAIN}"]
    walk = SafetyWalk(**demo_walk.walk_fields(today), area=area, created_by=coordinator)
    session.add(walk)
    categories = dict(session.execute(select(Category.code, Category.id)).all())
    for number, stop in enumerate(demo_walk.STOPS, start=1):
        reporter = users[f"{stop.reporter}@{EMAIL_DOMAIN}"]
        occurred_at = walk.starts_at + timedelta(minutes=stop.minutes)
        session.add(
            Observation(
                id=demo_walk.stop_id(number),
                occurred_at=occurred_at,
                created_at=occurred_at + timedelta(minutes=2),
                updated_at=occurred_at + timedelta(minutes=2),
                lat=stop.lat,
                lon=stop.lon,
                accuracy_m=10,
                place_text=stop.place_text,
                place_type=stop.place_type,
                description=stop.description,
                area=area,
                category_id=categories[stop.category],
                source=reporter.organisation.kind,
                reporter=reporter,
                organisation=reporter.organisation,
                status=stop.status,
                walk_id=walk.id,
                checklist=stop.checklist,
            )
        )
    return 1
