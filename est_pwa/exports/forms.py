"""The export's own query arguments: the file format and the coordinate system."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from pyproj import CRS
from wtforms import RadioField
from wtforms.validators import ValidationError

from .formats import FORMATS, WGS84

SWEREF99_TM = "EPSG:3006"


def format_choices() -> list[tuple[str, str]]:
    """Return the formats with a label that says what each is for."""
    return [
        ("csv", _l("CSV for Excel (semicolons)")),
        ("csv_comma", _l("CSV for other programs (commas)")),
        ("xlsx", _l("Excel workbook (XLSX)")),
        ("geojson", _l("GeoJSON for map programs (GIS)")),
    ]


def allowed_crs() -> list[str]:
    """Return the coordinate systems an export may use: WGS84, SWEREF 99 TM and the local zone."""
    return list(dict.fromkeys([WGS84, SWEREF99_TM, current_app.config["LOCAL_CRS"].upper()]))


def crs_choices() -> list[tuple[str, str]]:
    """Return the coordinate systems with a label naming each."""
    names = {WGS84: _("WGS 84, latitude and longitude (GPS)"), SWEREF99_TM: "SWEREF 99 TM"}
    return [(crs, f"{names.get(crs) or _local_zone(crs)} ({crs})") for crs in allowed_crs()]


def _local_zone(crs: str) -> str:
    # Outside the f-string above, where Babel's extractor would not find the message.
    return _("Local zone %(name)s", name=_crs_name(crs))


def _crs_name(crs: str) -> str:
    return CRS(crs).name.replace("SWEREF99", "SWEREF 99")


class ExportForm(FlaskForm):
    """The format and CRS of an export, read from the query string."""

    class Meta:
        csrf = False

    format = RadioField(
        _l("File format"), choices=format_choices, default="csv", validate_choice=False
    )
    crs = RadioField(
        _l("Coordinate system"), choices=crs_choices, default=WGS84, validate_choice=False
    )

    def validate_format(self, field):
        if field.data not in FORMATS:
            raise ValidationError(
                _l("Choose one of the formats %(formats)s.", formats=", ".join(FORMATS))
            )

    def validate_crs(self, field):
        if self.chosen_crs() not in allowed_crs():
            raise ValidationError(
                _l(
                    "Choose one of the coordinate systems %(crs)s.",
                    crs=", ".join(allowed_crs()),
                )
            )

    def chosen_crs(self) -> str:
        """Return the chosen CRS in upper case ("epsg:3006" means EPSG:3006); WGS84 if blank."""
        return (self.crs.data or WGS84).strip().upper()
