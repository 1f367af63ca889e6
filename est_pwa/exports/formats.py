"""Pure writers of exports: rows in, CSV, XLSX or GeoJSON out, coordinates in the CRS asked for.

A table's rows hold their values in column order followed by the WGS84 latitude and longitude;
the writers put the coordinates in the chosen CRS at the end ("lat", "lon" for WGS84, "E", "N"
in metres for SWEREF 99 zones). The semicolon CSV is for Swedish Excel: UTF-8 with a BOM (or
Excel guesses the code page), decimal commas and local times it reads as dates. The comma CSV is
for programs (R, pandas, QGIS): plain UTF-8 without a BOM, decimal points, ISO 8601 times with
their offset. Both end lines with CRLF, as RFC 4180 and Excel expect.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache, partial
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from pyproj import Transformer

WGS84 = "EPSG:4326"
# A spreadsheet runs a cell that starts like this as a formula (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_TEXT = 32_767


@dataclass(frozen=True)
class Column:
    """One exported column: a stable key (GeoJSON property), a header and an XLSX width."""

    key: str
    header: str
    width: int = 14


@dataclass
class Table:
    """The columns and the rows (in chunks) of one export; rows end with WGS84 lat, lon."""

    columns: list[Column]
    chunks: Iterable[list[tuple]]
    crs: str = WGS84
    yes_no: tuple[str, str] = ("Yes", "No")
    # How many rows the writer wrote; set when it is done.
    written: int = field(default=0, init=False)


def coordinate_columns(crs: str) -> list[Column]:
    """Return the coordinate columns of ``crs``: lat, lon in degrees or E, N in metres."""
    if crs == WGS84:
        return [Column("lat", "lat", 11), Column("lon", "lon", 11)]
    return [Column("E", "E", 12), Column("N", "N", 12)]


@lru_cache
def transformer(crs: str) -> Transformer:
    """Return the transformer from WGS84 to ``crs`` in x, y order (longitude/easting first)."""
    return Transformer.from_crs(WGS84, crs, always_xy=True)


def project(chunk: list[tuple], crs: str) -> list[tuple]:
    """Return ``chunk`` with each row's lat, lon replaced by its coordinates in ``crs``."""
    if crs == WGS84:
        return [(*row[:-2], round(row[-2], 6), round(row[-1], 6)) for row in chunk]
    eastings, northings = transformer(crs).transform([r[-1] for r in chunk], [r[-2] for r in chunk])
    return [
        (*row[:-2], round(east, 1), round(north, 1))
        for row, east, north in zip(chunk, eastings, northings, strict=True)
    ]


def projected(table: Table) -> Iterator[list[tuple]]:
    """Yield the table's non-empty chunks in its CRS, counting the rows as they go."""
    for chunk in table.chunks:
        if chunk:
            table.written += len(chunk)
            yield project(chunk, table.crs)


def all_columns(table: Table) -> list[Column]:
    """Return the table's columns with its coordinate columns at the end."""
    return [*table.columns, *coordinate_columns(table.crs)]


def defuse(text: str) -> str:
    """Return ``text`` with a leading apostrophe if a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


# CSV


def _csv_cell(value, yes_no: tuple[str, str], excel: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, str):
        return defuse(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if excel else value.isoformat("T", "seconds")
    if isinstance(value, float) and excel:
        return str(value).replace(".", ",")
    return str(value)


def write_csv(table: Table, out: BinaryIO, delimiter: str = ";") -> int:
    """Write ``table`` as CSV to ``out``; ';' is for Swedish Excel (BOM), ',' for programs."""
    excel = delimiter == ";"
    text = io.TextIOWrapper(out, encoding="utf-8-sig" if excel else "utf-8", newline="")
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([column.header for column in all_columns(table)])
    for chunk in projected(table):
        writer.writerows([_csv_cell(v, table.yes_no, excel) for v in row] for row in chunk)
    text.flush()
    text.detach()  # the caller owns ``out``
    return table.written


# XLSX


def _xlsx_value(value, yes_no: tuple[str, str]):
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, str):
        return defuse(ILLEGAL_CHARACTERS_RE.sub("", value))[:XLSX_MAX_TEXT]
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones: local wall time
    return value


def write_xlsx(table: Table, out: BinaryIO) -> int:
    """Write ``table`` as an Excel workbook: a bold header row, frozen, with set widths."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Observationer")
    sheet.freeze_panes = "A2"
    columns = all_columns(table)
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, column.header, bold) for column in columns])
    for chunk in projected(table):
        for row in chunk:
            # Plain values: openpyxl gives datetimes a date format; a cell object per value
            # would cost more than the writing.
            sheet.append([_xlsx_value(value, table.yes_no) for value in row])
    book.save(out)
    return table.written


def _header_cell(sheet, header: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, header)
    cell.font = font
    return cell


# GeoJSON


def _json_value(value):
    return value.isoformat("T", "seconds") if isinstance(value, datetime) else value


def _feature(keys: list[str], row: tuple, crs: str) -> dict:
    point = [row[-1], row[-2]] if crs == WGS84 else [row[-2], row[-1]]
    properties = {key: _json_value(value) for key, value in zip(keys, row[:-2], strict=True)}
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": point},
        "properties": properties,
    }


def crs_member(crs: str) -> dict:
    """Return the GeoJSON 2008 "crs" member that names ``crs`` (e.g. EPSG:3006)."""
    authority, code = crs.split(":")
    return {"type": "name", "properties": {"name": f"urn:ogc:def:crs:{authority}::{code}"}}


def write_geojson(table: Table, out: BinaryIO) -> int:
    """Write ``table`` as a GeoJSON FeatureCollection of points, one feature at a time."""
    head = {"type": "FeatureCollection"}
    if table.crs != WGS84:  # RFC 7946 GeoJSON is WGS84; other CRSs must say which they are
        head["crs"] = crs_member(table.crs)
    out.write(json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "features": [')
    keys = [column.key for column in table.columns]
    separator = b"\n"
    for chunk in projected(table):
        for row in chunk:
            out.write(
                separator + json.dumps(_feature(keys, row, table.crs), ensure_ascii=False).encode()
            )
            separator = b",\n"
    out.write(b"\n]}\n")
    return table.written


@dataclass(frozen=True)
class Format:
    """A file format: its writer, MIME type and file extension."""

    write: Callable[[Table, BinaryIO], int]
    mimetype: str
    extension: str


FORMATS: dict[str, Format] = {
    "csv": Format(partial(write_csv, delimiter=";"), "text/csv; charset=utf-8", "csv"),
    "csv_comma": Format(partial(write_csv, delimiter=","), "text/csv; charset=utf-8", "csv"),
    "xlsx": Format(
        write_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
    "geojson": Format(write_geojson, "application/geo+json", "geojson"),
}
