"""Safety walks in a group (trygghetsvandring): the list, the plan form and the protocol."""

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..areas.models import Area
from ..areas.views import feature_collection
from ..clock import now_utc
from ..extensions import db
from ..observations.api import photo_json
from ..permissions import can, get_permitted, require
from .checklist import item_label, summarise
from .forms import WalkForm, form_data
from .models import SafetyWalk
from .service import category_counts, new_walk, save_walk, stop_counts, walk_stops

bp = Blueprint("walks", __name__, url_prefix="/vandringar")
bp.add_app_template_global(item_label, "checklist_label")


def get_walk(walk_id: uuid.UUID, action: str = "walk.view") -> SafetyWalk:
    """Return the walk if the user may ``action`` it; 404 hides the rest."""
    return get_permitted(SafetyWalk, walk_id, action)


@bp.route("/")
@require("walk.view")
def index():
    """List the walks the user may see: upcoming first, then the past ones."""
    query = db.select(SafetyWalk).order_by(SafetyWalk.starts_at.desc())
    walks = [walk for walk in db.session.scalars(query) if can(current_user, "walk.view", walk)]
    now = now_utc()
    return render_template(
        "walks/index.html",
        upcoming=sorted((w for w in walks if w.starts_at >= now), key=lambda w: w.starts_at),
        past=[w for w in walks if w.starts_at < now],
        counts=stop_counts(walks),
    )


@bp.route("/ny", methods=["GET", "POST"], defaults={"walk_id": None})
@bp.route("/<uuid:walk_id>/andra", methods=["GET", "POST"])
@require("walk.plan")
def edit(walk_id):
    """Plan a walk, or change one (its status too, once it has been walked)."""
    walk = get_walk(walk_id, "walk.plan") if walk_id else new_walk()
    form = WalkForm(data=form_data(walk))
    if form.validate_on_submit():
        save_walk(walk, form.walk_fields(), current_user)
        db.session.commit()
        flash(_("The safety walk %(title)s was saved.", title=walk.title), "success")
        return redirect(url_for(".show", walk_id=walk.id))
    areas = db.session.scalars(db.select(Area).order_by(Area.name)).all()
    return render_template(
        "walks/form.html", form=form, walk=walk, areas_geojson=feature_collection(areas)
    )


@bp.route("/<uuid:walk_id>")
@require("walk.view")
def show(walk_id):
    """Show the walk: the plan before it, the protocol after it (printable)."""
    walk = get_walk(walk_id)
    stops = walk_stops(walk)
    visible = [stop for stop in stops if can(current_user, "observation.view", stop)]
    return render_template(
        "walks/show.html",
        walk=walk,
        stops=visible,
        hidden_stops=len(stops) - len(visible),
        stop_points=[stop_point(number, stop) for number, stop in enumerate(visible, start=1)],
        categories=category_counts(stops),
        checklist_summary=summarise(walk.checklist, [stop.checklist for stop in stops]),
        photos={stop.id: [photo_json(photo) for photo in stop.photos] for stop in visible},
        printed_at=now_utc(),
    )


def stop_point(number: int, stop) -> dict:
    """Return a stop as the map draws it: its number, place and category."""
    return {"n": number, "lat": stop.lat, "lon": stop.lon, "label": stop.category.name}
