"""Admin pages for areas: list, edit on a map or as text, import GeoJSON."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func

from ..extensions import db
from ..observations.models import Observation
from ..permissions import require
from .forms import AreaForm, AreaImportForm
from .geometry import GeometryError, parse_geojson, parse_point_list
from .models import Area
from .service import delete_area, import_boundaries, save_area

bp = Blueprint("areas", __name__, url_prefix="/admin/omraden")


def point_lines(area: Area) -> str:
    """Return the outer ring of ``area`` as lines of ``lat, lon`` for the text field."""
    coordinates = area.geometry["coordinates"]
    ring = coordinates[0][0] if area.geometry["type"] == "MultiPolygon" else coordinates[0]
    return "\n".join(f"{lat:.6f}, {lon:.6f}" for lon, lat in ring[:-1])


def feature_collection(areas) -> dict:
    """Return ``areas`` as a GeoJSON FeatureCollection."""
    features = [
        {
            "type": "Feature",
            "id": area.id,
            "properties": {"id": area.id, "name": area.name, "prioritised": area.prioritised},
            "geometry": area.geometry,
        }
        for area in areas
    ]
    return {"type": "FeatureCollection", "features": features}


@bp.route("/")
@require("admin.areas")
def index():
    """List the areas with how many observations each holds."""
    counts = dict(
        db.session.execute(
            db.select(Observation.area_id, func.count()).group_by(Observation.area_id)
        ).all()
    )
    areas = db.session.scalars(db.select(Area).order_by(Area.name)).all()
    return render_template(
        "areas/index.html",
        areas=areas,
        areas_geojson=feature_collection(areas),
        counts=counts,
        import_form=AreaImportForm(),
    )


@bp.route("/ny", methods=["GET", "POST"], defaults={"area_id": None})
@bp.route("/<int:area_id>", methods=["GET", "POST"])
@require("admin.areas")
def edit(area_id):
    """Create or edit an area."""
    area = db.get_or_404(Area, area_id) if area_id else Area()
    form = AreaForm(obj=area, points=point_lines(area) if area.id else "")
    if form.validate_on_submit():
        name = form.name.data.strip()
        other = db.session.scalar(db.select(Area).filter_by(name=name))
        try:
            geometry = parse_point_list(form.points.data, current_app.config["MAP_BOUNDS"])
        except GeometryError as error:
            form.points.errors.append(str(error))
        else:
            if other is not None and other.id != area.id:
                form.name.errors.append(_("Another area already has this name."))
            else:
                save_area(
                    area,
                    name=name,
                    geometry=geometry,
                    description=form.description.data or "",
                    prioritised=form.prioritised.data,
                )
                db.session.commit()
                flash(_("The area %(name)s was saved.", name=area.name), "success")
                return redirect(url_for(".index"))
    return render_template("areas/form.html", form=form, area=area)


@bp.route("/import", methods=["POST"])
@require("admin.areas")
def import_file():
    """Create or update areas from an uploaded GeoJSON file."""
    form = AreaImportForm()
    if not form.validate_on_submit():
        for message in form.file.errors:
            flash(str(message), "error")
        return redirect(url_for(".index"))
    try:
        boundaries = parse_geojson(form.file.data.read(), current_app.config["MAP_BOUNDS"])
    except GeometryError as error:
        flash(_("Nothing was imported: %(why)s", why=error), "error")
        return redirect(url_for(".index"))
    created, updated = import_boundaries(boundaries)
    db.session.commit()
    flash(
        _("%(created)s areas created, %(updated)s updated.", created=created, updated=updated),
        "success",
    )
    return redirect(url_for(".index"))


@bp.route("/<int:area_id>/radera", methods=["POST"])
@require("admin.areas")
def delete(area_id):
    """Delete an area; its observations are reassigned."""
    area = db.get_or_404(Area, area_id)
    delete_area(area)
    db.session.commit()
    flash(_("The area %(name)s was deleted.", name=area.name), "success")
    return redirect(url_for(".index"))
