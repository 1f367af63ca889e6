"""Exports of observations: the columns a user may see, read in chunks, masked, and audited."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import and_, func
from sqlalchemy.orm import aliased

from ..accounts.models import Organisation
from ..areas.models import Area
from ..audit.models import record
from ..categories.models import Category
from ..clock import to_local
from ..extensions import db
from ..labels import AGE_GROUP_LABELS, KIND_LABELS, PLACE_TYPE_LABELS, STATUS_LABELS
from ..observations.models import Observation, Photo, counted
from ..permissions import can
from ..privacy.pii import mask
from ..review.filters import SORTS, ObservationFilter, filtered_select
from .formats import FORMATS, Column, Table

CHUNK = 1000


@dataclass(frozen=True)
class ExportChoice:
    """What to export as: the format, the CRS and whether free text is shown unmasked."""

    format: str
    crs: str
    unmasked: bool = False


@dataclass
class Export:
    """The audited object of an export (an export has no table row of its own)."""

    id: uuid.UUID = field(default_factory=uuid.uuid4)


def columns(with_contact: bool) -> list[Column]:
    """Return the exported columns (before the coordinates) with headers in the UI language."""
    found = [
        Column("id", _("Id"), 38),
        Column("occurred", _("Occurred"), 17),
        Column("created", _("Received"), 17),
        Column("status", _("Status"), 16),
        Column("category_code", _("Main category code"), 16),
        Column("category", _("Main category"), 26),
        Column("subcategory_code", _("Sub-category code"), 26),
        Column("subcategory", _("Sub-category"), 26),
        Column("area", _("Area"), 18),
        Column("place_type", _("Kind of place"), 18),
        Column("place_text", _("Place"), 30),
        Column("description", _("Description"), 60),
        Column("persons", _("Number of persons"), 10),
        Column("age_group", _("Age group"), 14),
        Column("assessment", _("How unsafe (1–3)"), 10),
        Column("police_reported", _("Reported to the police"), 10),
        Column("source", _("Source"), 18),
        Column("organisation", _("Organisation"), 24),
        Column("photos", _("Number of photos"), 10),
        Column("duplicate_of", _("Duplicate of"), 38),
    ]
    return found + [Column("contact_email", _("Contact e-mail"), 28)] if with_contact else found


def _statement(where, order: list):
    """Return the select of the exported columns of the observations matching ``where``."""
    main = aliased(Category)
    english = (locale := get_locale()) is not None and locale.language == "en"
    name = "name_en" if english else "name_sv"
    photos = (
        db.select(func.count(Photo.id))
        .where(Photo.observation_id == Observation.id)
        .scalar_subquery()
    )
    return (
        db.select(
            *(getattr(Observation, attribute) for attribute in OBSERVATION_COLUMNS),
            Category.code.label("category_code"),
            getattr(Category, name).label("category_name"),
            main.code.label("main_code"),
            getattr(main, name).label("main_name"),
            Area.name.label("area_name"),
            Organisation.name.label("organisation_name"),
            photos.label("photo_count"),
        )
        .join(Category, Observation.category_id == Category.id)
        .outerjoin(main, Category.parent_id == main.id)
        .outerjoin(Area, Observation.area_id == Area.id)
        .outerjoin(Organisation, Observation.organisation_id == Organisation.id)
        .where(where)
        .order_by(*order)
    )


OBSERVATION_COLUMNS = (
    "id", "occurred_at", "created_at", "status", "place_type", "place_text", "description",
    "persons_count", "age_group", "assessment", "police_reported", "source", "duplicate_of_id",
    "contact_email", "lat", "lon",
)  # fmt: skip


def _labels() -> dict[str, dict[str, str]]:
    # Translated once per export, not once per row.
    sources = (
        ("status", STATUS_LABELS), ("place_type", PLACE_TYPE_LABELS),
        ("age_group", AGE_GROUP_LABELS), ("source", KIND_LABELS),
    )  # fmt: skip
    return {name: {code: str(label) for code, label in labels.items()} for name, labels in sources}


def _category(row) -> tuple[str, str, str, str]:
    """Return the main category's code and name, then the sub-category's (blank if none)."""
    if row.main_code is None:
        return row.category_code, row.category_name, "", ""
    return row.main_code, row.main_name, row.category_code, row.category_name


def _text(value: str | None, unmasked: bool) -> str:
    return (value or "") if unmasked else mask(value or "")


def _row(row, labels: dict, unmasked: bool) -> tuple:
    """Return one exported row: the values in column order, then lat and lon (WGS84)."""
    coded = {name: labels[name].get(getattr(row, name), getattr(row, name)) for name in labels}
    values = (
        str(row.id), to_local(row.occurred_at), to_local(row.created_at), coded["status"],
        *_category(row), row.area_name or "", coded["place_type"],
        _text(row.place_text, unmasked), _text(row.description, unmasked), row.persons_count,
        coded["age_group"], row.assessment, row.police_reported, coded["source"],
        row.organisation_name or "", row.photo_count,
        str(row.duplicate_of_id) if row.duplicate_of_id else None,
    )  # fmt: skip
    contact = (row.contact_email or "",) if unmasked else ()
    return (*values, *contact, row.lat, row.lon)


def _chunks(statement, unmasked: bool) -> Iterator[list[tuple]]:
    """Yield the rows of ``statement`` a chunk at a time (a server-side cursor on PostgreSQL)."""
    labels = _labels()
    result = db.session.execute(statement.execution_options(yield_per=CHUNK))
    for partition in result.partitions():
        yield [_row(row, labels, unmasked) for row in partition]


def write_export(where, order: list, choice: ExportChoice, out: BinaryIO) -> int:
    """Write the observations matching ``where`` to ``out`` as ``choice`` says; return the count."""
    table = Table(
        columns=columns(with_contact=choice.unmasked),
        chunks=_chunks(_statement(where, order), choice.unmasked),
        crs=choice.crs,
        yes_no=(_("Yes"), _("No")),
    )
    return FORMATS[choice.format].write(table, out)


def _audit(choice: ExportChoice, rows: int, **scope) -> None:
    record(
        "observation.export", Export(), format=choice.format, crs=choice.crs, rows=rows,
        masked=not choice.unmasked, **scope,
    )  # fmt: skip


def _order(form: ObservationFilter) -> list:
    column, descending = SORTS.get(form.sort.data, SORTS["new"])
    return [column.desc(), Observation.id.desc()] if descending else [column, Observation.id]


def export_filtered(form: ObservationFilter, user, choice: ExportChoice, out: BinaryIO) -> int:
    """Export exactly ``filtered_select(form, user)``, masked unless ``user`` may see PII; audit."""
    choice = ExportChoice(choice.format, choice.crs, unmasked=can(user, "pii.view"))
    where = filtered_select(form, user).whereclause
    rows = write_export(where, _order(form), choice, out)
    _audit(choice, rows, via="web", filter=form.query_args())
    return rows


def export_counted(form: ObservationFilter, choice: ExportChoice, out: BinaryIO) -> int:
    """Export the observations that count in analysis and match ``form`` (no user: the CLI)."""
    rows = write_export(and_(counted(), *form.conditions()), _order(form), choice, out)
    _audit(choice, rows, via="cli", filter=form.query_args())
    return rows


def count_filtered(form: ObservationFilter, user) -> int:
    """Return how many observations an export of ``form`` by ``user`` would hold."""
    where = filtered_select(form, user).whereclause
    return db.session.scalar(db.select(func.count(Observation.id)).where(where))
