"""CPU cost per request of POST /api/v1/observations against /bench/floor, in one process.

Run by hand from the project root:
    .venv/bin/python bench/profile_ingest.py [--batch 200] [--rounds 10]
    .venv/bin/python bench/profile_ingest.py --bytecodes [-n 60]
    .venv/bin/python bench/profile_ingest.py --profile api|floor [-n 2000] [--top 40]

It makes a scratch SQLite database with the Kumla demo, logs in as the demo reporter with Flask's
test client (so the figures include the test client's own work, the same for both endpoints) and
posts new observations to each endpoint:
- by default in short alternating batches, measuring process CPU time (time.process_time), which
  other work on a shared machine disturbs less than wall-clock time, though still by ±20 %;
- with --bytecodes, counting the Python bytecodes each request runs: slow, but the same from run
  to run whatever else the machine does, so it shows what a change saves (C work is not counted);
- with --profile, under cProfile: prints the costliest calls and saves the profile
  (EST_PROFILE_OUT, /tmp/est_profile.out by default).
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sync_ingest import (  # noqa: E402
    API,
    FLOOR,
    PASSWORD,
    REPORTER,
    app_environment,
    body_for,
    make_observations,
    prepare,
)


def logged_in_client(app):
    """Return a test client logged in as the demo reporter and the headers an API post needs."""
    client = app.test_client()
    page = client.get("/login").data
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    form = {"csrf_token": token, "email": REPORTER, "password": PASSWORD}
    if client.post("/login", data=form).status_code != 302:
        raise RuntimeError("log-in failed")
    session = client.get("/api/v1/session").get_json()
    return client, {"X-CSRFToken": session["csrf_token"], "Accept": "application/json"}


def places_and_categories(client, headers):
    """Return sample points with their areas, and the sub-category codes, as the bench does."""
    from bench.sync_ingest import places_in

    places = places_in(client.get("/api/v1/areas", headers=headers).get_json()["features"])
    tree = client.get("/api/v1/categories", headers=headers).get_json()
    return places, [child["code"] for main in tree for child in main["children"]]


class Poster:
    """Posts new observations to either endpoint, each with a fresh id."""

    def __init__(self, client, headers, make):
        self.client, self.headers, self.make, self.next = client, headers, make, 0

    def bodies(self, path: str, n: int) -> list[tuple[int | None, bytes]]:
        """Return ``n`` new bodies for ``path``, each with the area the app should find."""
        made = [self.make(i) for i in range(self.next, self.next + n)]
        self.next += n
        return [(observation["_area_id"], body_for(path, observation)) for observation in made]

    def post(self, path: str, bodies, check_area: bool = False) -> None:
        """Post ``bodies`` to ``path``; fail on any answer but 201 (or a wrong area)."""
        for area_id, body in bodies:
            answer = self.client.post(
                path, data=body, headers=self.headers, content_type="application/json"
            )
            if answer.status_code != 201:
                raise RuntimeError(f"{path} answered {answer.status_code}: {answer.data[:300]}")
            if check_area and (answer.get_json()["area"] or {}).get("id") != area_id:
                raise RuntimeError(f"wrong area: {answer.get_json()['area']}, not {area_id}")

    def cpu_per_request(self, path: str, n: int) -> float:
        """Post ``n`` observations to ``path``; return the CPU seconds per request."""
        bodies = self.bodies(path, n)
        began = time.process_time()
        self.post(path, bodies)
        return (time.process_time() - began) / n

    def bytecodes_per_request(self, path: str, n: int) -> float:
        """Post ``n`` observations to ``path``; return the Python bytecodes run per request."""
        bodies, count = self.bodies(path, n), [0]

        def on_opcode(frame, event, arg):
            count[0] += event == "opcode"
            return on_opcode

        def on_call(frame, event, arg):
            frame.f_trace_opcodes = True
            return on_opcode

        sys.settrace(on_call)
        try:
            self.post(path, bodies)
        finally:
            sys.settrace(None)
        return count[0] / n


def measure_cpu(poster: Poster, batch: int, rounds: int) -> None:
    """Print each endpoint's CPU time per request over alternating batches."""
    times = {API: [], FLOOR: []}
    for _ in range(rounds):
        for path in times:  # short alternating batches: other load weighs on both alike
            times[path].append(poster.cpu_per_request(path, batch))
    for path, values in times.items():
        print(
            f"{path:22} CPU per request: median {statistics.median(values) * 1000:.3f} ms, "
            f"least {min(values) * 1000:.3f} ms over {rounds} batches of {batch}"
        )
    ratio = statistics.median(f / a for f, a in zip(times[FLOOR], times[API], strict=True))
    print(f"floor/API, median of the batches: {ratio:.2f}; load average {os.getloadavg()[0]:.2f}")


def count_bytecodes(poster: Poster, n: int) -> None:
    """Print each endpoint's Python bytecodes per request."""
    counts = {path: poster.bytecodes_per_request(path, n) for path in (API, FLOOR)}
    for path, count in counts.items():
        print(f"{path:22} {count:9.0f} bytecodes per request")
    print(f"floor/API: {counts[FLOOR] / counts[API]:.2f}")


def profile(poster: Poster, path: str, n: int, top: int) -> None:
    """Post ``n`` observations to ``path`` under cProfile; print and save the profile."""
    bodies = poster.bodies(path, n)
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(poster.post, path, bodies)
    profiler.dump_stats(os.environ.get("EST_PROFILE_OUT", "/tmp/est_profile.out"))
    for order in ("cumulative", "tottime"):
        pstats.Stats(profiler).sort_stats(order).print_stats(top)


def main() -> int:
    """Measure, count or profile both endpoints on a scratch SQLite database."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=200, help="requests per endpoint and batch")
    parser.add_argument("--rounds", type=int, default=10, help="batches per endpoint")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--bytecodes", action="store_true", help="count bytecodes instead")
    mode.add_argument("--profile", choices=("api", "floor"), help="profile one endpoint")
    parser.add_argument("-n", type=int, help="requests to count or profile (60 or 2000)")
    parser.add_argument("--top", type=int, default=40, help="calls to print when profiling")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="est_profile_") as directory:
        env = app_environment(f"sqlite:///{directory}/est.sqlite3")
        prepare(env)
        os.environ.update(env)
        from bench.floor_app import app

        client, headers = logged_in_client(app)
        poster = Poster(client, headers, make_observations(*places_and_categories(client, headers)))
        for path in (API, FLOOR):  # warm up; the API's areas are checked on the way
            poster.post(path, poster.bodies(path, 200), check_area=path == API)
        if args.bytecodes:
            count_bytecodes(poster, args.n or 60)
        elif args.profile:
            profile(poster, API if args.profile == "api" else FLOOR, args.n or 2000, args.top)
        else:
            measure_cpu(poster, args.batch, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
