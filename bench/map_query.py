"""Milliseconds per request of the map API over 100,000 observations: a whole-municipality view
(counts per cell) and a street-level view (single points).

Run by hand from the project root:
    .venv/bin/python bench/map_query.py [-n 100000] [--repeat 20]
    EST_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python ...

It makes a scratch SQLite database in a temporary directory (and, when EST_BENCH_DATABASE_URL
names a PostgreSQL server, a new scratch database there too), migrates it and adds N observations
of three organisations: half spread evenly over the municipality, half around five hotspots in
Kumla's centre. A coordinator and a viewer log in through the real form, and each view is asked
`--repeat` times through the app in-process (Flask's test client: the app and the database, no
HTTP server), first as loaded and again after ANALYZE (SQLite keeps no planner statistics until
asked; PostgreSQL's autovacuum gathers them in time). It prints the median and the 95th percentile
per view, with the answer's kind, total and size. Target: every view under 200 ms at the median.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from bench.sync_ingest import postgres_database, sqlite_database  # noqa: E402
from est_pwa.accounts.models import Organisation, User  # noqa: E402
from est_pwa.app import create_app  # noqa: E402
from est_pwa.categories.models import Category  # noqa: E402
from est_pwa.categories.seed import ensure_categories  # noqa: E402
from est_pwa.config import database_url  # noqa: E402
from est_pwa.extensions import db  # noqa: E402
from est_pwa.observations.models import Observation  # noqa: E402

BATCH = 5000
PASSWORD = "bench-map-password"
TARGET_MS = 200
# (south, west, north, east) of the municipality, as config.MAP_BOUNDS has it.
MUNICIPALITY = (59.03, 14.95, 59.24, 15.35)
HOTSPOTS = [(59.1277, 15.1434), (59.1230, 15.1320), (59.1330, 15.1500), (59.1190, 15.1560),
            (59.1360, 15.1300)]  # fmt: skip
# Each view as the map asks for it: bbox=west,south,east,north and zoom, for a 1000×600 px map.
VIEWS = {
    "municipality, coordinator": ("coordinator", "14.95,59.03,15.35,59.24", 11),
    "municipality, viewer": ("viewer", "14.95,59.03,15.35,59.24", 11),
    "street, coordinator": ("coordinator", "15.1600,59.1400,15.1700,59.1430", 17),
    "street, filtered by category": ("coordinator", "15.1550,59.1380,15.1750,59.1440", 16),
}


def bench_app(url: str):
    """Return the app on the scratch database ``url``."""
    settings = {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url(url)}
    return create_app({**settings, "RATELIMIT_STORAGE_URI": "memory://", "TILE_URL": ""})


def place() -> tuple[float, float]:
    """Return a position: half evenly over the municipality, half near a hotspot (~300 m)."""
    if random.random() < 0.5:
        south, west, north, east = MUNICIPALITY
        return random.uniform(south, north), random.uniform(west, east)
    lat, lon = random.choice(HOTSPOTS)
    return random.gauss(lat, 0.0027), random.gauss(lon, 0.0053)


def observation(number: int, category_ids: list[int], organisation_ids: list[int], start):
    """Return the column values of the ``number``-th generated observation."""
    lat, lon = place()
    return {
        "id": uuid.uuid4(),
        "occurred_at": start + timedelta(minutes=5 * number),
        "created_at": start + timedelta(minutes=5 * number + 3),
        "updated_at": start,
        "lat": lat,
        "lon": lon,
        "place_text": "",
        "category_id": random.choice(category_ids),
        "description": "",
        "source": "municipal_unit",
        "organisation_id": organisation_ids[number % len(organisation_ids)],
        "status": random.choice(("ny", "ny", "granskad", "atgardad", "avslutad")),
        "moderation": "accepted",
        "police_reported": False,
    }


def add_users(organisation: Organisation) -> None:
    """Add the coordinator and the viewer that the views log in as."""
    for role in ("coordinator", "viewer"):
        user = User(email=f"{role}@bench.example", name=role, role=role, organisation=organisation)
        user.set_password(PASSWORD)
        db.session.add(user)


def fill(app, rows: int) -> None:
    """Migrate the app's database and add the users and ``rows`` generated observations."""
    upgrade(directory=app.extensions["migrate"].directory)
    ensure_categories(db.session)
    organisations = [Organisation(name=f"Org {n}", kind="municipal_unit") for n in range(3)]
    db.session.add_all(organisations)
    db.session.flush()
    add_users(organisations[0])
    category_ids = db.session.scalars(db.select(Category.id)).all()
    organisation_ids = [organisation.id for organisation in organisations]
    start = datetime.now(UTC) - timedelta(minutes=5 * rows)
    for first in range(0, rows, BATCH):
        numbers = range(first, min(first + BATCH, rows))
        batch = [observation(n, category_ids, organisation_ids, start) for n in numbers]
        db.session.execute(insert(Observation), batch)
    db.session.commit()


def logged_in(app, role: str):
    """Return a test client logged in as the bench's ``role`` through the real form."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = {"email": f"{role}@bench.example", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302, f"log-in as {role} failed"
    return client


def time_view(client, bbox: str, zoom: int, repeat: int, extra: dict) -> tuple[list[float], dict]:
    """Ask for one view once to warm up, then ``repeat`` times; return the ms and the answer."""
    times, body = [], None
    client.get("/api/v1/map/observations", query_string={"bbox": bbox, "zoom": zoom, **extra})
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(
            "/api/v1/map/observations", query_string={"bbox": bbox, "zoom": zoom, **extra}
        )
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        body["bytes"] = len(response.get_data())
    return times, body


def run(url: str, label: str, rows: int, repeat: int) -> bool:
    """Fill the database at ``url``, time and print each view; return whether all met the target."""
    app = bench_app(url)
    random.seed(20261127)  # the same observations in every database
    with app.app_context():
        started = time.perf_counter()
        fill(app, rows)
        print(f"{label}: {rows} observations made in {time.perf_counter() - started:.1f} s")
    # Requests outside that context, so each gets its own, as in production.
    clients = {role: logged_in(app, role) for role in ("coordinator", "viewer")}
    met = time_views(clients, repeat, "  as loaded (no planner statistics yet):")
    with app.app_context():
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    met = time_views(clients, repeat, "  after ANALYZE:") and met
    with app.app_context():
        db.engine.dispose()
    return met


def time_views(clients: dict, repeat: int, heading: str) -> bool:
    """Time and print every view; return whether all met the target."""
    print(heading)
    met = True
    for name, (role, bbox, zoom) in VIEWS.items():
        extra = {"category": "SKADEGORELSE"} if "category" in name else {}
        times, body = time_view(clients[role], bbox, zoom, repeat, extra)
        median, p95 = statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))]
        met = met and median < TARGET_MS
        kind = body["kind"]
        print(f"    {name:30} {median:6.1f} ms median, {p95:6.1f} ms p95: {kind}, "
              f"{body['total']} observations in {len(body[kind])} {kind}, "
              f"{body['bytes'] / 1024:.0f} KiB")  # fmt: skip
    return met


def main() -> int:
    """Time the map API on SQLite (PostgreSQL too if asked); return 1 if a view is too slow."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if not 0 < args.rows <= 2_000_000 or not 0 < args.repeat <= 1000:
        parser.error("keep -n in 1..2000000 and --repeat in 1..1000")
    met = True
    with sqlite_database() as url:
        met = run(url, "sqlite", args.rows, args.repeat) and met
    admin_url = os.environ.get("EST_BENCH_DATABASE_URL")
    if admin_url:
        with postgres_database(admin_url) as url:
            met = run(url, "postgresql", args.rows, args.repeat) and met
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
