"""Storing observations and photos exactly once, whatever the network replays."""

import hashlib
import json
import uuid

from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import MANYTOONE, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ..accounts.models import User
from ..areas.service import area_for_point
from ..extensions import db
from . import photos
from .models import Observation, Photo

FIELDS = (
    "occurred_at", "lat", "lon", "accuracy_m", "place_text", "place_type", "description",
    "persons_count", "age_group", "assessment", "police_reported", "walk_id", "checklist",
)  # fmt: skip
COLUMNS = tuple(Observation.__table__.columns.keys())
INSERT_OBSERVATION = insert(Observation.__table__)


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
    try:
        db.session.flush()  # what the session holds goes first, as a flush would have ordered it
        inserted = db.session.execute(INSERT_OBSERVATION, new_row(observation))
    except IntegrityError:
        # Nothing else was written in this request, so the whole transaction can go.
        db.session.rollback()
        existing = db.session.get(Observation, observation.id)
        if existing is None or existing.submitted_hash != observation.submitted_hash:
            raise ReplayConflict() from None
        return existing, False
    # One plain INSERT costs a fraction of a unit-of-work flush; the object then joins the
    # session as if loaded, holding what was stored: defaults included, no SELECT after.
    stored = inserted.last_inserted_params()
    for name in COLUMNS:
        if name not in vars(observation):
            set_committed_value(observation, name, stored.get(name))
    make_transient_to_detached(observation)
    db.session.add(observation)
    return observation, True


def new_row(observation: Observation) -> dict:
    """Set the ids of the rows a new ``observation`` links to; return its columns that are set."""
    values = vars(observation)
    for relation in inspect(Observation).relationships:
        if relation.key in values:
            copy_link(observation, relation, values[relation.key])
    return {name: values[name] for name in COLUMNS if name in values}


def copy_link(observation: Observation, relation, linked) -> None:
    """Set the foreign key of many-to-one ``relation`` from the ``linked`` stored object."""
    if relation.direction is not MANYTOONE:
        if linked:
            raise ValueError("an observation is stored before its photos and comments")
        return
    for column, linked_column in relation.local_remote_pairs:
        value = None if linked is None else getattr(linked, linked_column.key)
        if linked is not None and value is None:
            raise ValueError(f"the {relation.key} of a new observation must be stored first")
        setattr(observation, column.key, value)


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
