"""Observations per second through POST /api/v1/observations under gunicorn, against a bare floor.

Run by hand from the project root:
    .venv/bin/python bench/sync_ingest.py [--db sqlite|postgres|both] [--seconds N]

For each database it makes a scratch one (SQLite in a temporary directory, PostgreSQL as a new
database), migrates it and loads the Kumla demo, then serves bench.floor_app:app with gunicorn on
loopback: 2 sync workers by default, one per core of the 2-core machine this was written on, since
the client runs on the same cores and SQLite lets one writer in at a time (--workers changes it).
A client logs in through the real /login form as the demo reporter, takes the CSRF token from
/api/v1/session, and keeps 8 requests in flight with new, valid observations, N seconds for the
API and N seconds for /bench/floor, which stores the same row with one plain insert in the same
worker processes; the two take turns in short rounds. Sync workers close the connection after each
answer, so each request opens a new one, for both endpoints alike.
Target: the API reaches at least half of the floor's observations per second. Any answer but 201,
or a row count that does not match the 201s, is an error: errors make the exit status 1, a missed
target does not.
"""

import argparse
import http.client
import itertools
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
import sqlalchemy
from shapely.geometry import shape

from est_pwa.config import database_url

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REPORTER, PASSWORD = "reporter@kumla.example", "demo-reporter"
API, FLOOR = "/api/v1/observations", "/bench/floor"
TARGET = 0.5
WARMUP_SECONDS = 1.0
ROUND_SECONDS = 2.5


@dataclass
class Tally:
    """What one phase of load got back: latencies of the 201s and the errors."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        """Return the p-th percentile latency in milliseconds."""
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100)[p - 1] * 1000


# --- scratch databases ---------------------------------------------------------------------------


@contextmanager
def sqlite_database():
    """Yield the URL of a new SQLite file in a temporary directory; remove the directory after."""
    directory = tempfile.mkdtemp(prefix="est_bench_")
    try:
        yield f"sqlite:///{directory}/est.sqlite3"
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def postgres_database(admin_url: str):
    """Yield the URL of a new scratch PostgreSQL database; drop it after."""
    name = f"est_bench_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_environment(url: str) -> dict:
    """Return the environment that points the app at ``url``."""
    return os.environ | {
        "EST_DATABASE_URL": url,
        "EST_SECRET_KEY": uuid.uuid4().hex * 2,
        "EST_BENCH_REPORTER": REPORTER,
    }


def prepare(env: dict) -> None:
    """Migrate the database and load the demo data with the app's own commands."""
    for command in ("init-db", "demo"):
        done = subprocess.run(
            [BIN / "flask", "--app", "wsgi", "est", command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            raise RuntimeError(f"est {command} failed:\n{done.stderr[-2000:]}")


def count_observations(url: str) -> int:
    """Return how many observations the database holds."""
    engine = sqlalchemy.create_engine(database_url(url))
    try:
        with engine.connect() as connection:
            return connection.scalar(sqlalchemy.text("SELECT count(*) FROM observation"))
    finally:
        engine.dispose()


# --- gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    """Return a TCP port on loopback that is free now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict, workers: int, log: Path):
    """Serve bench.floor_app:app on loopback; yield (host, port) once it answers; stop it after."""
    port = free_port()
    command = [BIN / "gunicorn", f"--bind=127.0.0.1:{port}", f"--workers={workers}"]
    command += ["--worker-class=sync", "--graceful-timeout=5", "bench.floor_app:app"]
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        wait_until_up(server, port)
        yield "127.0.0.1", port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(server: subprocess.Popen, port: int, timeout: float = 30) -> None:
    """Wait until the app answers; fail if gunicorn exits or takes too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            if send(connection, "GET", "/api/v1/session")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s")


# --- the client ----------------------------------------------------------------------------------


def send(connection, method, path, body=None, headers=None):
    """Send one request; return (status, headers, body bytes)."""
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.headers, response.read()


def cookies_from(headers, jar: dict) -> dict:
    """Return ``jar`` updated with the response's Set-Cookie headers."""
    for raw in headers.get_all("Set-Cookie") or ():
        jar.update((name, morsel.value) for name, morsel in SimpleCookie(raw).items())
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def log_in(address) -> dict:
    """Log in through the /login form; return the headers an API request needs."""
    connection = http.client.HTTPConnection(*address, timeout=10)
    status, headers, page = send(connection, "GET", "/login")
    jar = cookies_from(headers, {})
    form_token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    form = urlencode({"csrf_token": form_token, "email": REPORTER, "password": PASSWORD})
    status, headers, _ = send(
        connection,
        "POST",
        "/login",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(jar)},
    )
    if status != 302:
        raise RuntimeError(f"log-in answered {status}, not a redirect")
    cookies_from(headers, jar)
    status, headers, body = send(
        connection, "GET", "/api/v1/session", None, {"Cookie": cookie_header(jar)}
    )
    session = json.loads(body)
    if status != 200 or session["user"] is None:
        raise RuntimeError(f"/api/v1/session answered {status} without a user after log-in")
    return {
        "Cookie": cookie_header(cookies_from(headers, jar)),
        "X-CSRFToken": session["csrf_token"],
        "Content-Type": "application/json",
        "Accept": "application/json",
    }


def get_json(address, path: str, headers: dict):
    """Return the decoded JSON of a GET."""
    connection = http.client.HTTPConnection(*address, timeout=10)
    status, _, body = send(connection, "GET", path, None, headers)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    return json.loads(body)


def sample_places(address, headers: dict) -> list[tuple[float, float, int | None]]:
    """Return a point inside each area with the area the app should find for it (lat, lon, id)."""
    return places_in(get_json(address, "/api/v1/areas", headers)["features"])


def places_in(features: list[dict]) -> list[tuple[float, float, int | None]]:
    """Return a point inside each GeoJSON area feature with the area that holds it first."""
    # The app's rule: prioritised areas first, then by id; the first that holds the point wins.
    features.sort(key=lambda f: (not f["properties"]["prioritised"], f["id"]))
    shapes = [(f["id"], shape(f["geometry"])) for f in features]
    places = []
    for _, area in shapes:
        point = area.representative_point()
        owner = next(i for i, s in shapes if s.contains(point))
        places.append((round(point.y, 7), round(point.x, 7), owner))
    return places


def sub_categories(address, headers: dict) -> list[str]:
    """Return the codes of the active sub-categories."""
    tree = get_json(address, "/api/v1/categories", headers)
    return [child["code"] for main in tree for child in main["children"]]


def make_observations(places, categories):
    """Return a function that makes the n-th new observation, as the outbox sends it."""
    now = datetime.now(UTC)

    def observation(n: int) -> dict:
        lat, lon, area_id = places[n % len(places)]
        moment = now - timedelta(minutes=random.randint(1, 24 * 60))
        return {
            "id": str(uuid.uuid4()),
            "occurred_at": moment.astimezone().isoformat(),
            "lat": lat,
            "lon": lon,
            "accuracy_m": 8.0,
            "category": categories[n % len(categories)],
            "place_text": f"Bänkprov plats {n}",
            "place_type": "gata_torg",
            "description": f"Observation {n} från lasttestet.",
            "persons_count": n % 5,
            "age_group": "unga",
            "assessment": 1 + n % 3,
            "police_reported": n % 7 == 0,
            "walk_id": None,
            "_area_id": area_id,
        }

    return observation


def body_for(path: str, observation: dict) -> bytes:
    """Return the JSON body: the API gets the outbox's fields, the floor also the area id."""
    area_id = observation.pop("_area_id")
    if path == FLOOR:
        observation["area_id"] = area_id
    return json.dumps(observation).encode()


def load(address, path, headers, make, seconds: float, connections: int) -> Tally:
    """Keep ``connections`` connections posting new observations to ``path`` for ``seconds``."""
    counter = itertools.count()
    tallies = [Tally() for _ in range(connections)]
    deadline = time.monotonic() + seconds

    def worker(tally: Tally) -> None:
        connection = http.client.HTTPConnection(*address, timeout=30)
        while time.monotonic() < deadline:
            body = body_for(path, make(next(counter)))
            started = time.perf_counter()
            try:
                status, _, answer = send(connection, "POST", path, body, headers)
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                tally.errors.append(f"{type(error).__name__}: {error}")
                continue
            if status == 201:
                tally.latencies.append(time.perf_counter() - started)
            else:
                tally.errors.append(f"{status}: {answer[:200].decode(errors='replace')}")
        connection.close()

    threads = [threading.Thread(target=worker, args=(t,)) for t in tallies]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return merged(tallies, seconds=time.perf_counter() - started)


def merged(tallies: list[Tally], seconds: float) -> Tally:
    """Return one tally holding all of ``tallies``, over ``seconds``."""
    total = Tally(seconds=seconds)
    for tally in tallies:
        total.latencies += tally.latencies
        total.errors += tally.errors
    return total


def measure(address, args) -> tuple[dict[str, Tally], int]:
    """Load the API and the floor in alternating rounds; return their tallies and the warm-up 201s.

    Rounds of about ROUND_SECONDS, in the order API, floor, floor, API, ..., so that whatever
    else the machine does meanwhile weighs on both endpoints alike.
    """
    headers = log_in(address)
    make = make_observations(sample_places(address, headers), sub_categories(address, headers))
    rounds = max(1, round(args.seconds / ROUND_SECONDS))
    phases = {API: [], FLOOR: []}
    warmups = [
        load(address, path, headers, make, WARMUP_SECONDS, args.connections) for path in phases
    ]
    for n in range(rounds):
        for path in (API, FLOOR) if n % 2 == 0 else (FLOOR, API):
            tally = load(address, path, headers, make, args.seconds / rounds, args.connections)
            phases[path].append(tally)
    results = {path: merged(t, sum(x.seconds for x in t)) for path, t in phases.items()}
    for path, warmup in zip(phases, warmups, strict=True):
        results[path].errors += warmup.errors
    return results, sum(len(w.latencies) for w in warmups)


# --- one database --------------------------------------------------------------------------------


def bench(label: str, url: str, args) -> bool:
    """Measure the API and the floor on the database at ``url``; return whether all went well."""
    env = app_environment(url)
    prepare(env)
    before = count_observations(url)
    with tempfile.TemporaryDirectory(prefix="est_bench_log_") as logs:
        log, clean = Path(logs) / "gunicorn.log", False
        try:
            with gunicorn(env, args.workers, log) as address:
                loads = [os.getloadavg()[0]]
                results, warm_ups = measure(address, args)
                loads.append(os.getloadavg()[0])
            report(label, args, results, loads)
            answered = warm_ups + sum(len(r.latencies) for r in results.values())
            clean = rows_match(count_observations(url) - before, answered)
            clean = clean and not any(r.errors for r in results.values())
        finally:
            if not clean:
                print(f"  gunicorn's log ends:\n{log.read_text(errors='replace')[-3000:]}")
    return clean


def rows_match(stored: int, answered: int) -> bool:
    """Return whether the database gained one row per 201; say so when not."""
    if stored != answered:
        print(f"  error: {stored} rows were added, but {answered} requests answered 201")
    return stored == answered


def report(label: str, args, results: dict[str, Tally], loads: list[float]) -> None:
    """Print the rates, latencies, ratio and verdict for one database."""
    api, floor = results[API], results[FLOOR]
    ratio = api.rate / floor.rate if floor.rate else float("nan")
    print(
        f"\n{label}: gunicorn {args.workers} sync workers, {os.cpu_count()} cores, "
        f"{args.connections} client connections, {args.seconds:g} s per endpoint; "
        f"load average {loads[0]:.1f} before, {loads[1]:.1f} after"
    )
    for name, tally in (("API  ", api), ("floor", floor)):
        path = API if tally is api else FLOOR
        print(
            f"  {name} {path:22} {tally.rate:8.1f} obs/s  ({len(tally.latencies)} stored; "
            f"p50 {tally.percentile(50):.1f} ms, p95 {tally.percentile(95):.1f} ms; "
            f"{len(tally.errors)} errors)"
        )
        for message in sorted(set(tally.errors))[:5]:
            print(f"      error {message}")
    verdict = "target met" if ratio >= TARGET else "TARGET MISSED"
    print(f"  ratio API/floor {ratio:.2f} (target >= {TARGET}): {verdict}")


def main() -> int:
    """Run the benchmark on the chosen databases; return 1 if any request or step failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=10.0, help="load per endpoint")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=8, help="concurrent client requests")
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a database to connect to while creating and dropping the scratch database",
    )
    args = parser.parse_args()
    if not 0 < args.seconds <= 600 or not 0 < args.connections <= 64 or not 0 < args.workers <= 32:
        parser.error("keep --seconds in (0, 600], --connections in 1..64, --workers in 1..32")
    scratch = {"sqlite": sqlite_database, "postgres": lambda: postgres_database(args.postgres_url)}
    chosen = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    clean = True
    for label in chosen:
        try:
            with scratch[label]() as url:
                clean = bench(label, url, args) and clean
        except Exception as error:  # report and go on to the next database
            print(f"\n{label}: error: {type(error).__name__}: {error}", file=sys.stderr)
            clean = False
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
