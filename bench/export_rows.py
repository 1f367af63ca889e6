"""Rows per second and peak memory of the observation exports (CSV and XLSX) over N generated rows.

Run by hand from the project root:
    .venv/bin/python bench/export_rows.py [-n 100000] [--db sqlite|postgres] [--crs EPSG:3006]

It makes a scratch database (SQLite in a temporary directory, or a new PostgreSQL database),
migrates it, adds the categories and N observations (every tenth with a phone number in its text
for the masking to find, every hundredth with a photo), then exports them all, masked, the way a
police officer's download does: the same query, chunks and writers, into a temporary file. Each
format runs in a fresh process so that no earlier run hides its peak memory. The peak should not
grow with N: compare -n 10000 with -n 100000.
"""

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, true  # noqa: E402

from bench.photo_pipeline import mb, peak_rss  # noqa: E402
from bench.sync_ingest import postgres_database, sqlite_database  # noqa: E402
from est_pwa.accounts.models import Organisation  # noqa: E402
from est_pwa.app import create_app  # noqa: E402
from est_pwa.categories.models import Category  # noqa: E402
from est_pwa.categories.seed import ensure_categories  # noqa: E402
from est_pwa.config import database_url  # noqa: E402
from est_pwa.extensions import db  # noqa: E402
from est_pwa.observations.models import Observation, Photo  # noqa: E402

BATCH = 5000
FORMATS = ("csv", "xlsx")
TEXTS = ("Klotter på busskuren vid torget", "Ungdomar samlas, ring 070-123 45 67 om det upprepas")


def bench_app(url: str):
    """Return the app on the scratch database ``url``."""
    settings = {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url(url)}
    return create_app({**settings, "RATELIMIT_STORAGE_URI": "memory://", "TILE_URL": ""})


def observation(number: int, category_ids: list[int], organisation_id: int, start: datetime):
    """Return the column values of the ``number``-th generated observation."""
    return {
        "id": uuid.uuid4(),
        "occurred_at": start + timedelta(minutes=7 * number),
        "created_at": start + timedelta(minutes=7 * number + 3),
        "updated_at": start,
        "lat": 59.10 + random.random() * 0.06,
        "lon": 15.10 + random.random() * 0.09,
        "place_text": f"Storgatan {number % 90 + 1}",
        "place_type": "gata_torg",
        "category_id": random.choice(category_ids),
        "description": TEXTS[number % 10 == 0],
        "persons_count": number % 7,
        "source": "municipal_unit",
        "organisation_id": organisation_id,
        "status": "ny",
        "moderation": "accepted",
        "police_reported": number % 5 == 0,
    }


def fill(url: str, rows: int) -> None:
    """Migrate the database at ``url`` and add ``rows`` generated observations."""
    app = bench_app(url)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        ensure_categories(db.session)
        organisation = Organisation(name="Kumla kommun", kind="municipal_unit")
        db.session.add(organisation)
        db.session.flush()
        category_ids = db.session.scalars(db.select(Category.id)).all()
        start = datetime.now(UTC) - timedelta(minutes=7 * rows)
        for first in range(0, rows, BATCH):
            batch = [
                observation(n, category_ids, organisation.id, start)
                for n in range(first, min(first + BATCH, rows))
            ]
            db.session.execute(insert(Observation), batch)
            db.session.execute(insert(Photo), [photo(row["id"]) for row in batch[::100]])
        db.session.commit()
        db.engine.dispose()


def photo(observation_id: uuid.UUID) -> dict:
    """Return a tiny stand-in photo of ``observation_id`` (the export only counts them)."""
    fields = {
        "content_type": "image/jpeg",
        "width": 1,
        "height": 1,
        "sha256": "0" * 64,
        "source_sha256": "0" * 64,
    }
    return {"observation_id": observation_id, "data": b"", "thumbnail": b"", **fields}


def export_once(url: str, file_format: str, crs: str) -> dict:
    """Export every observation once; return the rows, wall and CPU seconds, size and peak RSS."""
    from est_pwa.exports.service import ExportChoice, write_export

    app = bench_app(url)
    with app.app_context(), tempfile.TemporaryFile() as out:
        baseline, wall, cpu = peak_rss(), time.perf_counter(), time.process_time()
        order = [Observation.occurred_at, Observation.id]
        rows = write_export(true(), order, ExportChoice(file_format, crs), out)
        found = {"rows": rows, "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
        db.engine.dispose()
        return {**found, "bytes": out.tell(), "rss": peak_rss() - baseline}


def export_apart(url: str, file_format: str, crs: str) -> dict:
    """Return export_once() measured in a new process."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(export_once, (url, file_format, crs))


def report(file_format: str, found: dict) -> None:
    """Print one format's rate, size and peak memory."""
    print(
        f"{file_format:5} {found['rows']} rows: {found['rows'] / found['wall']:,.0f} rows/s "
        f"({found['wall']:.1f} s wall, {found['rows'] / found['cpu']:,.0f} rows per CPU second); "
        f"file {mb(found['bytes'])}; peak RSS +{mb(found['rss'])}"
    )


def main() -> int:
    """Fill a scratch database and time each export; return 1 if a row went missing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--crs", default="EPSG:4326", help="EPSG:4326, EPSG:3006 or EPSG:3009")
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a database to connect to while creating and dropping the scratch database",
    )
    args = parser.parse_args()
    if not 0 < args.rows <= 2_000_000:
        parser.error("keep -n in 1..2000000")
    scratch = sqlite_database() if args.db == "sqlite" else postgres_database(args.postgres_url)
    complete = True
    with scratch as url:
        started = time.perf_counter()
        fill(url, args.rows)
        print(f"{args.db}: {args.rows} observations made in {time.perf_counter() - started:.1f} s")
        for file_format in FORMATS:
            found = export_apart(url, file_format, args.crs)
            report(file_format, found)
            complete = complete and found["rows"] == args.rows
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
