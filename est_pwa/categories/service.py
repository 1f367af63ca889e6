"""Changes to the category tree; codes are stable and used categories are never deleted."""

from sqlalchemy import func

from ..audit.models import record
from ..extensions import db
from ..observations.models import Observation
from .models import Category


class CategoryError(ValueError):
    """A change the tree cannot take, with the field it concerns."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def usage_count(category: Category) -> int:
    """Return how many observations use ``category`` or one of its sub-categories."""
    ids = [category.id, *(child.id for child in category.children)]
    query = db.select(func.count()).where(Observation.category_id.in_(ids))
    return db.session.scalar(query)


def _check_parent(category: Category, parent_id: int | None) -> None:
    if parent_id is None:
        return
    parent = db.session.get(Category, parent_id)
    if parent is None or parent.parent_id is not None or parent.id == category.id:
        raise CategoryError("parent_id", "not a main category")
    if category.children:
        raise CategoryError("parent_id", "has children")


def save_category(category: Category, *, code: str, parent_id: int | None, **fields) -> Category:
    """Create or update ``category``; the code is set once and the tree stays two levels deep."""
    creating = category.id is None
    if creating:
        if db.session.scalar(db.select(Category).filter_by(code=code)):
            raise CategoryError("code", "code taken")
        category.code = code
    _check_parent(category, parent_id)
    category.parent_id = parent_id
    for name, value in fields.items():
        setattr(category, name, value)
    db.session.add(category)
    db.session.flush()
    record("category.create" if creating else "category.update", category, code=category.code)
    return category


def delete_category(category: Category) -> None:
    """Delete an unused category without sub-categories."""
    if category.children or usage_count(category):
        raise CategoryError("code", "in use")
    record("category.delete", category, code=category.code)
    db.session.delete(category)
    db.session.flush()
