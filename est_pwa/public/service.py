"""Storing residents' observations once, with a receipt code and no personal data beyond need."""

import secrets

from flask import current_app

from ..areas.service import area_for_point
from ..audit.models import record
from ..clock import now_utc
from ..extensions import db
from ..observations.models import PUBLIC_SOURCE, Observation
from ..observations.service import content_hash, insert_once
from .models import Campaign

# No 0/O, 1/I/L: a code read aloud over the phone or typed from paper must survive.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 8


def public_limit() -> str:
    """Return the configured rate limit of public submissions."""
    return current_app.config["RATELIMIT_PUBLIC"]


def new_receipt_code() -> str:
    """Return a random receipt code (40 bits; not guessable in a rate-limited lookup)."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def open_campaign(slug: str | None) -> Campaign | None:
    """Return the campaign named by ``slug`` if it is open today."""
    if not slug:
        return None
    campaign = db.session.scalar(db.select(Campaign).filter_by(slug=slug))
    return campaign if campaign and campaign.is_open(now_utc().date()) else None


def public_content(form) -> dict:
    """Return the canonical content of a validated PublicObservationForm."""
    lat, lon, accuracy = form.position()
    return {
        "occurred_at": form.occurred_at.data.isoformat(),
        "lat": round(lat, 7),
        "lon": round(lon, 7),
        "accuracy_m": accuracy,
        "area_id": form.area_id.data,
        "place_text": (form.place_text.data or "").strip(),
        "description": (form.description.data or "").strip(),
        "topic": form.topic.data,
        "feeling": form.feeling.data,
        "time_of_day": form.time_of_day.data or None,
        "contact_email": (form.contact_email.data or "").strip().lower() or None,
        "campaign": form.campaign.data or None,
    }


def record_public_observation(form) -> tuple[Observation, bool]:
    """Store a resident's observation once, pending review; return it and whether it is new."""
    content = public_content(form)
    campaign = open_campaign(form.campaign.data)
    observation = Observation(
        id=form.id.data,
        occurred_at=form.occurred_at.data,
        lat=content["lat"],
        lon=content["lon"],
        accuracy_m=content["accuracy_m"],
        place_text=content["place_text"],
        description=content["description"],
        category=form.category_obj,
        feeling=content["feeling"],
        time_of_day=content["time_of_day"],
        contact_email=content["contact_email"],
        campaign_id=campaign.id if campaign else None,
        source=PUBLIC_SOURCE,
        moderation="pending",
        receipt_code=new_receipt_code(),
        submitted_hash=content_hash(content),
        photos=[],
    )
    observation.area = form.area_obj or area_for_point(observation.lat, observation.lon)
    return insert_once(observation)


def set_moderation(observations, state: str) -> int:
    """Accept public observations into analysis or mark them as spam; return how many changed."""
    changed = 0
    for observation in observations:
        if observation.source == PUBLIC_SOURCE and observation.moderation != state:
            observation.moderation = state
            record("observation.moderate", observation, moderation=state)
            changed += 1
    return changed
