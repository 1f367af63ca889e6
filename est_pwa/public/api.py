"""The public sync API: residents submit without an account, rate-limited, once per id."""

import uuid
from datetime import timedelta

from flask import Blueprint, abort, jsonify, url_for
from flask_babel import gettext as _

from ..clock import now_utc
from ..extensions import db, limiter
from ..observations.api import form_errors, json_error, json_formdata, store_photo
from ..observations.models import PUBLIC_SOURCE, Observation
from ..observations.service import ReplayConflict
from .forms import PublicObservationForm
from .service import new_receipt_code, public_limit, record_public_observation

bp = Blueprint("public_api", __name__, url_prefix="/api/v1/public")

PHOTO_WINDOW = timedelta(hours=48)
PUBLIC_PHOTOS = 3


def receipt_json(observation_id, code: str) -> dict:
    """Return what the resident's device keeps: the receipt and where to follow it."""
    status_url = url_for("public.status", code=code)
    return {"id": str(observation_id), "receipt_code": code, "status_url": status_url}


@bp.post("/observations")
@limiter.limit(public_limit)
def create_observation():
    """Store a resident's observation: 201 new, 200 replay, 409 conflict, 400 invalid."""
    form = PublicObservationForm(formdata=json_formdata(), meta={"csrf": False})
    if form.website.data:
        # A robot filled the hidden field: it gets what looks like success, and nothing is kept.
        return jsonify(receipt_json(form.id.data or uuid.uuid4(), new_receipt_code())), 201
    if not form.validate():
        return form_errors(form)
    try:
        observation, created = record_public_observation(form)
    except ReplayConflict:
        db.session.rollback()
        return json_error(409, _("An observation with this id exists already with other content."))
    body = receipt_json(observation.id, observation.receipt_code)
    db.session.commit()
    return jsonify(body), 201 if created else 200


def _photo_target(observation_id) -> Observation:
    observation = db.session.get(Observation, observation_id)
    # The id is the device's secret; photos are only taken while the submission is fresh.
    fresh = observation is not None and now_utc() - observation.created_at < PHOTO_WINDOW
    if not fresh or observation.source != PUBLIC_SOURCE or observation.moderation == "spam":
        abort(404)
    return observation


@bp.put("/observations/<uuid:observation_id>/photos/<uuid:photo_id>")
@limiter.limit(public_limit)
def put_photo(observation_id, photo_id):
    """Store a photo of a fresh public submission: 201 new, 200 replay."""
    observation = _photo_target(observation_id)
    # Residents get no photo URLs: their photos are not public.
    return store_photo(observation, photo_id, PUBLIC_PHOTOS, lambda photo: {"id": str(photo.id)})
