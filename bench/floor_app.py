"""The EST app plus a bare POST /bench/floor, the floor that bench/sync_ingest.py measures against.

Served by gunicorn as ``bench.floor_app:app``, so the floor runs in the same worker processes and
behind the same middleware as POST /api/v1/observations. It stores the same row with one plain
SQLAlchemy insert and one commit: no log-in, no CSRF, no form, no replay check, no area search.
What the body does not carry is read once per process: the reporter named by
``EST_BENCH_REPORTER`` and the category ids by code; the client sends the area id it worked out.
"""

import hashlib
import os
import uuid
from datetime import datetime

from flask import jsonify, request
from sqlalchemy import insert, select

from est_pwa.accounts.models import Organisation, User
from est_pwa.app import create_app
from est_pwa.categories.models import Category
from est_pwa.extensions import csrf, db
from est_pwa.observations.models import Observation

COPIED = (
    "lat", "lon", "accuracy_m", "place_text", "place_type", "description", "persons_count",
    "age_group", "assessment", "police_reported", "area_id",
)  # fmt: skip

app = create_app()
_fixed: dict = {}


def fixed_values() -> dict:
    """Return the reporter's ids and the category ids by code, read once per process."""
    if not _fixed:
        email = os.environ.get("EST_BENCH_REPORTER", "reporter@kumla.example")
        reporter = db.session.execute(
            select(User.id, User.organisation_id, Organisation.kind)
            .join(Organisation)
            .filter(User.email == email)
        ).one()
        _fixed["reporter"] = {
            "reporter_id": reporter.id,
            "organisation_id": reporter.organisation_id,
            "source": reporter.kind,
        }
        _fixed["categories"] = dict(db.session.execute(select(Category.code, Category.id)).all())
    return _fixed


@app.post("/bench/floor")
@csrf.exempt
def floor():
    """Insert the observation in the JSON body as it comes; answer 201 with its id."""
    payload = request.get_json()
    fixed = fixed_values()
    row = {name: payload.get(name) for name in COPIED}
    row.update(
        fixed["reporter"],
        id=uuid.UUID(payload["id"]),
        occurred_at=datetime.fromisoformat(payload["occurred_at"]),
        category_id=fixed["categories"][payload["category"]],
        walk_id=uuid.UUID(payload["walk_id"]) if payload.get("walk_id") else None,
        submitted_hash=hashlib.sha256(request.get_data()).hexdigest(),
    )
    db.session.execute(insert(Observation), [row])
    db.session.commit()
    return jsonify(id=payload["id"]), 201
