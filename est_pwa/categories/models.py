"""Categories: EMBRACE's top level and local sub-categories, named in Swedish and English."""

from typing import Optional

from flask_babel import get_locale
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Category(db.Model):
    """A main category (no parent) or a sub-category; the code never changes once made."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    name_sv: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Optional["Category"]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Category"]] = relationship(
        back_populates="parent", order_by="Category.position"
    )

    @property
    def name(self) -> str:
        """Return the name in the request's language."""
        locale = get_locale()
        return self.name_en if locale and locale.language == "en" else self.name_sv

    @property
    def main(self) -> "Category":
        """Return the main category this one belongs to (itself for a main category)."""
        return self.parent or self

    def __str__(self) -> str:
        return self.name_sv
