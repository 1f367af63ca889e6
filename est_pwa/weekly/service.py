"""The queries behind the weekly picture, each limited to what the user may see."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import contains_eager, joinedload

from ..analysis.weekly import (
    BASELINE_WEEKS,
    AreaComparison,
    Comparison,
    NewPlace,
    Report,
    Week,
    compare_areas,
    new_places,
    total_comparison,
)
from ..areas.models import Area
from ..categories.models import Category
from ..extensions import db
from ..observations.models import Comment, Observation, counted
from ..permissions import aggregate_scope, can, comment_scope, observation_scope

OPEN_SHOWN = 20
COMMENTS_SHOWN = 50


@dataclass
class Picture:
    """Everything the weekly page shows; the lists are empty for those who may not read them."""

    total: Comparison
    areas: list[AreaComparison]
    new_places: list[NewPlace]
    open_count: int
    open_first: list[Observation]
    comment_count: int
    comments: list[Comment]


def main_category_names() -> dict[int, str]:
    """Return each category's main category name, by category id."""
    return {category.id: category.main.name for category in db.session.scalars(db.select(Category))}


def reports(week: Week, scope) -> list[Report]:
    """Return the counted observations of ``week`` and of the four weeks before it."""
    names = main_category_names()
    query = (
        db.select(
            Observation.occurred_at,
            Area.name,
            Observation.category_id,
            Observation.lat,
            Observation.lon,
        )
        .outerjoin(Area, Observation.area_id == Area.id)
        .where(scope, counted())
        .where(Observation.occurred_at >= week.shifted(-BASELINE_WEEKS).start)
        .where(Observation.occurred_at < week.end)
    )
    rows = db.session.execute(query)
    return [Report(at, area, names[category], lat, lon) for at, area, category, lat, lon in rows]


def open_select(scope):
    """Return the select of the observations waiting for review (status new), of any date."""
    waiting = counted() | (Observation.moderation == "pending")
    return db.select(Observation).where(scope, Observation.status == "ny", waiting)


def count_of(query) -> int:
    """Return how many rows ``query`` selects."""
    return db.session.scalar(db.select(func.count()).select_from(query.subquery()))


def oldest_open(scope) -> list[Observation]:
    """Return the observations that have waited longest for review (by receipt)."""
    query = open_select(scope).options(
        joinedload(Observation.category), joinedload(Observation.area)
    )
    query = query.order_by(Observation.created_at, Observation.id).limit(OPEN_SHOWN)
    return list(db.session.scalars(query))


def week_comments(week: Week, user) -> tuple[int, list[Comment]]:
    """Return how many comments of ``week`` the user may read, and the first of them."""
    query = (
        db.select(Comment)
        .join(Comment.observation)
        .where(comment_scope(user), observation_scope(user))
        .where(Comment.created_at >= week.start, Comment.created_at < week.end)
    )
    observation = contains_eager(Comment.observation)
    first = query.options(
        joinedload(Comment.author),
        joinedload(Comment.organisation),
        observation.joinedload(Observation.category),
        observation.joinedload(Observation.area),
    )
    first = first.order_by(Comment.created_at, Comment.id).limit(COMMENTS_SHOWN)
    return count_of(query), list(db.session.scalars(first))


def weekly_picture(week: Week, user) -> Picture:
    """Return the weekly picture of ``week`` as ``user`` may see it."""
    scope = aggregate_scope(user)
    found = reports(week, scope)
    comment_count, comments = week_comments(week, user) if can(user, "comment.view") else (0, [])
    return Picture(
        total=total_comparison(found, week),
        areas=compare_areas(found, week),
        new_places=new_places(found, week),
        open_count=count_of(open_select(scope)),
        open_first=oldest_open(scope) if can(user, "observation.view") else [],
        comment_count=comment_count,
        comments=comments,
    )
