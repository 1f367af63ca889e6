"""Storing observations and photos exactly once, whatever the network replays."""

import hashlib
import json
import uuid

from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..areas.service import area_for_point
from ..extensions import db
from . import photos
from .models import Observation, Photo

FIELDS = (
    "occurred_at", "lat", "lon", "accuracy_m", "place_text", "place_type", "description",
    "persons_count", "age_group", "assessment", "police_reported", "walk_id", "checklist",
)  # fmt: skip


class ReplayConflict(Exception):
    """The id exists already with other content."""


class PhotoRefused(Exception):
    """A photo the observation cannot take, with the HTTP status and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def submitted_content(form) -> dict:
    """Return the canonical content of a validated ObservationForm."""
    content = {name: getattr(form, name).data for name in FIELDS}
    content["lat"], content["lon"], content["accuracy_m"] = form.position()
    content["occurred_at"] = content["occurred_at"].isoformat()
    content["walk_id"] = str(content["walk_id"]) if content["walk_id"] else None
    content["lat"], content["lon"] = round(content["lat"], 7), round(content["lon"], 7)
    for name in ("place_text", "description"):
        content[name] = (content[name] or "").strip()
    for name in ("place_type", "age_group"):
        content[name] = content[name] or None
    content["category"] = form.category_obj.code
    content["area_id"] = form.area_id.data
    if content["checklist"] is None:
        # Left out, so that observations without a walk hash as they did before checklists.
        del content["checklist"]
    return content


def content_hash(content: dict) -> str:
    """Return the sha256 of ``content`` in a canonical JSON form."""
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def record_observation(form, user: User) -> tuple[Observation, bool]:
    """Store the observation in ``form`` once; return it and whether it is new."""
    content = submitted_content(form)
    digest = content_hash(content)
    observation = Observation(
        id=form.id.data,
        category=form.category_obj,
        occurred_at=form.occurred_at.data,
        walk_id=form.walk_id.data,
        source=user.organisation.kind,
        reporter_id=user.id,
        organisation_id=user.organisation_id,
        submitted_hash=digest,
        photos=[],
        **{name: content.get(name) for name in FIELDS if name not in ("occurred_at", "walk_id")},
    )
    observation.area = form.area_obj or area_for_point(observation.lat, observation.lon)
    return insert_once(observation)


def insert_once(observation: Observation) -> tuple[Observation, bool]:
    """Insert ``observation`` unless its id exists; return the stored one and whether it is new.

    The primary key decides, not a look-up first: a replay or a racing duplicate fails at the
    insert, and the first one stays the only row. A stored row with another content hash is a
    conflict.
    """
    db.session.add(observation)
    try:
        db.session.flush()
    except IntegrityError:
        # Nothing else was written in this request, so the whole transaction can go.
        db.session.rollback()
        existing = db.session.get(Observation, observation.id)
        if existing is None or existing.submitted_hash != observation.submitted_hash:
            raise ReplayConflict() from None
        return existing, False
    return observation, True


def attach_photo(observation: Observation, photo_id: uuid.UUID, body: bytes, limit: int):
    """Store ``body`` as photo ``photo_id`` of ``observation`` once; return it and if it is new."""
    source_digest = hashlib.sha256(body).hexdigest()
    existing = db.session.get(Photo, photo_id)
    if existing is not None:
        if existing.observation_id != observation.id or existing.source_sha256 != source_digest:
            raise ReplayConflict()
        return existing, False
    if len(observation.photos) >= limit:
        raise PhotoRefused(400, "too many")
    processed = photos.process(body)
    # Linked by id, not through the relationship: appending to the collection would let the
    # savepoint's flush see a photo outside the session.
    photo = Photo(
        id=photo_id,
        observation_id=observation.id,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        data=processed.jpeg,
        thumbnail=processed.thumbnail,
        sha256=processed.sha256,
        source_sha256=source_digest,
    )
    try:
        with db.session.begin_nested():
            db.session.add(photo)
    except IntegrityError:
        return attach_photo(observation, photo_id, body, limit)
    return photo, True


def attach_uploads(observation: Observation, uploads, limit: int) -> None:
    """Store the files of a form posted without JavaScript as photos, at most ``limit``."""
    for upload in [upload for upload in uploads if upload.filename][:limit]:
        attach_photo(observation, uuid.uuid4(), upload.read(), limit)
