"""The JSON API that the offline outbox syncs with (the contract is in DESIGN.md)."""

import json

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from ..areas.models import Area
from ..areas.views import feature_collection
from ..categories.views import main_categories
from ..extensions import db
from ..permissions import get_permitted, require
from ..privacy.api import visible_text
from . import photos
from .forms import ObservationForm
from .models import Observation
from .service import PhotoRefused, ReplayConflict, attach_photo, record_observation

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def form_errors(form):
    """Answer 400 with the form's messages as ``{"errors": {field: [message]}}``."""
    errors = {
        name: [str(message) for message in messages] for name, messages in form.errors.items()
    }
    return jsonify(errors=errors), 400


def json_error(status: int, message: str):
    """Answer ``status`` with ``{"error": message}``."""
    return jsonify(error=message), status


def user_json(user) -> dict | None:
    """Return the session's user as the outbox needs it, or None."""
    if not user.is_authenticated:
        return None
    organisation = user.organisation
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "organisation": {
            "id": organisation.id,
            "name": organisation.name,
            "kind": organisation.kind,
        },
    }


def observation_json(observation: Observation) -> dict:
    """Return ``observation`` in the shape of the sync contract."""
    area = observation.area
    return {
        "id": str(observation.id),
        "occurred_at": observation.occurred_at.isoformat(),
        "created_at": observation.created_at.isoformat(),
        "lat": observation.lat,
        "lon": observation.lon,
        "accuracy_m": observation.accuracy_m,
        "category": observation.category.code,
        "place_text": observation.place_text,
        "place_type": observation.place_type,
        "description": visible_text(observation.description),
        "persons_count": observation.persons_count,
        "age_group": observation.age_group,
        "assessment": observation.assessment,
        "police_reported": observation.police_reported,
        "walk_id": str(observation.walk_id) if observation.walk_id else None,
        "checklist": observation.checklist,
        "status": observation.status,
        # The municipality's feedback to the reporter (återkoppling), once there is any.
        "feedback": visible_text(observation.feedback) if observation.feedback else "",
        "area": {"id": area.id, "name": area.name} if area else None,
        "photos": [photo_json(photo) for photo in observation.photos],
    }


def photo_json(photo) -> dict:
    """Return a photo's reference with the URLs it is served at."""
    ids = {"observation_id": photo.observation_id, "photo_id": photo.id}
    return {
        "id": str(photo.id),
        "url": url_for("observations.photo", **ids),
        "thumbnail_url": url_for("observations.photo", **ids, size="thumb"),
        "width": photo.width,
        "height": photo.height,
    }


@bp.get("/session")
def session():
    """Return the current user (or null) and a fresh CSRF token."""
    response = jsonify(user=user_json(current_user), csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/categories")
def categories():
    """Return the active category tree, named in the request's language."""
    tree = [
        {
            "code": main.code,
            "name": main.name,
            "children": [
                {"code": child.code, "name": child.name} for child in main.children if child.active
            ],
        }
        for main in main_categories()
        if main.active
    ]
    return jsonify(tree)


@bp.get("/areas")
def areas():
    """Return the areas as GeoJSON."""
    rows = db.session.scalars(db.select(Area).order_by(Area.name)).all()
    return jsonify(feature_collection(rows))


def json_formdata() -> MultiDict:
    """Return the JSON object body as form data."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, _("The body must be a JSON object."))
    # Absent and null mean the same; nested values are never valid here, except the walk's
    # checklist answers, which go on as JSON for the form to read.
    return MultiDict(
        {
            k: json.dumps(v) if k == "checklist" else v
            for k, v in payload.items()
            if v is not None and (k == "checklist" or not isinstance(v, dict | list))
        }
    )


@bp.post("/observations")
@require("observation.create")
def create_observation():
    """Store an observation sent by the outbox: 201 new, 200 replay, 409 conflict, 400 invalid."""
    form = ObservationForm(formdata=json_formdata(), meta={"csrf": False})
    if not form.validate():
        return form_errors(form)
    try:
        observation, created = record_observation(form, current_user._get_current_object())
    except ReplayConflict:
        db.session.rollback()
        return json_error(409, _("An observation with this id exists already with other content."))
    body = observation_json(observation)  # before the commit expires what it reads
    db.session.commit()
    return jsonify(body), 201 if created else 200


@bp.get("/observations/<uuid:observation_id>")
@require("observation.view")
def observation(observation_id):
    """Return one observation the user may see."""
    observation = get_permitted(Observation, observation_id, "observation.view")
    return jsonify(observation_json(observation))


def photo_error_message(error: photos.PhotoError) -> str:
    """Return the photo error's message in the request's language."""
    locale = get_locale()
    return error.message_en if locale and locale.language == "en" else error.message_sv


@bp.put("/observations/<uuid:observation_id>/photos/<uuid:photo_id>")
@require("observation.create")
def put_photo(observation_id, photo_id):
    """Store a photo of the user's own observation: 201 new, 200 replay."""
    observation = db.session.get(Observation, observation_id)
    if observation is None or observation.reporter_id != current_user.id:
        abort(404)
    limit = current_app.config["PHOTOS_PER_OBSERVATION"]
    return store_photo(observation, photo_id, limit, photo_json)


def store_photo(observation, photo_id, limit: int, describe):
    """Store the request body as a photo of ``observation``: 201 new, 200 replay, 4xx refused.

    ``describe(photo)`` is what the answer tells of the stored photo.
    """
    body = request.get_data(cache=False)
    if not body:
        return json_error(400, _("The photo is empty."))
    if len(body) > current_app.config["PHOTO_MAX_BYTES"]:
        return json_error(413, _("The photo is too large."))
    try:
        photo, created = attach_photo(observation, photo_id, body, limit)
    except photos.PhotoError as error:
        return json_error(error.status, photo_error_message(error))
    except PhotoRefused:
        return json_error(400, _("A report can have at most %(n)s photos.", n=limit))
    except ReplayConflict:
        db.session.rollback()
        return json_error(409, _("A photo with this id exists already with other content."))
    db.session.commit()
    return jsonify(
        describe(photo) | {"observation_id": str(observation.id)}
    ), 201 if created else 200
