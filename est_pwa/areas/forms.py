"""Forms for areas: a boundary typed or drawn, or a GeoJSON file to import."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class AreaForm(FlaskForm):
    """Name, boundary as lines of ``lat, lon`` (the map draws into the same field)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    points = TextAreaField(
        _l("Boundary"),
        validators=[DataRequired(), Length(max=200_000)],
        description=_l(
            "One point per line as latitude, longitude (e.g. 59.1277, 15.1434). "
            "Click on the map to add points. The polygon is closed for you."
        ),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    prioritised = BooleanField(_l("Prioritised area"))


class AreaImportForm(FlaskForm):
    """A GeoJSON file whose features carry a ``name`` property."""

    file = FileField(
        _l("GeoJSON file"),
        validators=[
            FileRequired(),
            FileAllowed(["geojson", "json"], _l("Choose a .geojson or .json file.")),
        ],
    )
