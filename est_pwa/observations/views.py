"""Pages for reporters: capture ("Ny rapport"), "Mina rapporter", and photos."""

import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..areas.models import Area
from ..categories.views import main_categories
from ..clock import now_utc, to_local
from ..extensions import db
from ..permissions import can, require
from ..walks.models import SafetyWalk
from . import photos
from .forms import ObservationForm
from .models import Observation, Photo
from .service import PhotoRefused, ReplayConflict, attach_uploads, record_observation

bp = Blueprint("observations", __name__)


def walk_to_join() -> tuple[SafetyWalk | None, bool]:
    """Return the walk in ``?vandring=`` if the user may report on it, and whether one was named."""
    named = request.args.get("vandring")
    try:
        walk = db.session.get(SafetyWalk, uuid.UUID(named)) if named else None
    except ValueError:
        walk = None
    return (walk if walk and can(current_user, "walk.join", walk) else None), bool(named)


def capture_context(form: ObservationForm, walk: SafetyWalk | None = None) -> dict:
    """Return what the capture page needs: categories, areas, limits, the walk if any."""
    areas = db.session.scalars(db.select(Area).order_by(Area.name)).all()
    return {
        "form": form,
        "walk": walk,
        "mains": [main for main in main_categories() if main.active],
        "areas": areas,
        "max_photos": current_app.config["PHOTOS_PER_OBSERVATION"],
    }


@bp.route("/rapport/ny", methods=["GET", "POST"])
@require("observation.create")
def capture():
    """Show the capture form; without JavaScript it posts here and is stored at once."""
    walk, walk_named = walk_to_join()
    form = ObservationForm(
        id=uuid.uuid4(),
        occurred_at=to_local(now_utc()).replace(second=0, microsecond=0),
        walk_id=walk.id if walk else None,
    )
    context = capture_context(form, walk) | {"walk_not_found": walk_named and walk is None}
    if form.validate_on_submit():
        try:
            observation, _created = record_observation(form, current_user)
            limit = current_app.config["PHOTOS_PER_OBSERVATION"]
            attach_uploads(observation, request.files.getlist("photos"), limit)
        except ReplayConflict:
            db.session.rollback()
            flash(_("This report was saved already."), "info")
            return redirect(url_for(".mine"))
        except (photos.PhotoError, PhotoRefused):
            db.session.rollback()
            flash(_("A photo could not be used. Nothing was saved; try again without it."), "error")
            return render_template("observations/capture.html", **context), 400
        db.session.commit()
        flash(_("The report was sent. Thank you!"), "success")
        # On a walk the next stop follows; a report of its own is followed up in "My reports".
        return redirect(url_for(".capture", vandring=walk.id) if walk else url_for(".mine"))
    return render_template("observations/capture.html", **context)


@bp.route("/mina-rapporter")
@require("observation.create")
def mine():
    """List what waits in the outbox (filled in by the page) and what the user has sent."""
    query = (
        db.select(Observation)
        .filter_by(reporter_id=current_user.id)
        .order_by(Observation.created_at.desc())
        .limit(100)
    )
    return render_template("observations/mine.html", sent=db.session.scalars(query).all())


@bp.route("/observationer/<uuid:observation_id>/foton/<uuid:photo_id>")
@require("observation.view")
def photo(observation_id, photo_id):
    """Serve a photo (or its thumbnail) to a user who may see the observation."""
    found = db.session.get(Photo, photo_id)
    if found is None or found.observation_id != observation_id:
        abort(404)
    if not can(current_user, "observation.view", found.observation):
        abort(404)
    thumb = request.args.get("size") == "thumb"
    response = current_app.response_class(
        found.thumbnail if thumb else found.data, mimetype=found.content_type
    )
    response.set_etag(f"{found.sha256}-{'t' if thumb else 'f'}")
    response.cache_control.private = True
    response.cache_control.max_age = 86400
    return response.make_conditional(request)
