"""Browser fixtures: Debian's Chromium, one live EST server per session, planned faults, log-in.

The live server has a database of its own (a SQLite file, or the PostgreSQL schema
``est_browser_<pid>`` when EST_TEST_DATABASE_URL is set), so it never meets the per-test databases
of the other tests.
"""

import json
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import pytest
from flask_babel import gettext
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server
from werkzeug.wsgi import get_input_stream

from est_pwa.accounts.models import Organisation, User
from est_pwa.app import create_app
from est_pwa.areas.models import Area
from est_pwa.categories.models import Category
from est_pwa.categories.seed import ensure_categories
from est_pwa.config import database_url
from est_pwa.extensions import db

from conftest import PASSWORD, POSTGRES_URL, SQUARE, app_settings, migrate_to_latest

CHROMIUM = "/usr/bin/chromium"
# From shared/TESTING.md: without the background-networking flags Chromium floods the closed
# network with refused connections.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
KUMLA = {"latitude": 59.1277, "longitude": 15.1434, "accuracy": 15}
STOCKHOLM = {"latitude": 59.33, "longitude": 18.06, "accuracy": 15}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# One schema per test run, so that two runs on one PostgreSQL database never meet.
BROWSER_SCHEMA = f"est_browser_{os.getpid()}"
NORTH = [[15.13, 59.14], [15.16, 59.14], [15.16, 59.16], [15.13, 59.16], [15.13, 59.14]]
AREAS = {"Centrum": SQUARE, "Norr": NORTH}
SERVER_SETTINGS = {"TILE_URL": "", "RATELIMIT_LOGIN": "1000 per minute"}
OBSERVATIONS_API = "/api/v1/observations"

# Resolves once the page's service worker is activated (not merely installed).
SERVICE_WORKER_ACTIVATED = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (worker.state !== 'activated') {
    await new Promise((resolve) => worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve();
    }));
  }
  return worker.state;
}"""


# Resolves true once a service worker controls the page (it claims it on activation), else false.
SERVICE_WORKER_CONTROLS = """() => {
  const container = navigator.serviceWorker;
  if (container.controller !== null) return true;
  return new Promise((resolve) => {
    container.addEventListener('controllerchange', () => resolve(true), {once: true});
    setTimeout(() => resolve(container.controller !== null), 5000);
  });
}"""


# Resolves true once every path is in the worker's page cache (polled: the worker caches them in
# the background after a logged-in page asked it to), false after ~5 s.
PAGES_CACHED = """async (paths) => {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const cache = await caches.open('est-pages');
    const found = await Promise.all(paths.map((path) => cache.match(path)));
    if (found.every(Boolean)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}"""


# --- the live server ---


@dataclass
class PlannedAnswer:
    """An answer that stands in for the app's to the next ``times`` matching requests."""

    method: str
    path: str
    status: int
    body: bytes
    content_type: str
    times: int | None  # None: until the plan is cleared

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and path == self.path


class Faults:
    """WSGI middleware that answers planned requests itself and logs every answer."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.log: list[tuple[str, str, int]] = []
        self.active = 0  # requests the app is answering now
        self._plans: list[PlannedAnswer] = []
        self._lock = threading.Lock()

    def plan(self, method, path, status, body=None, content_type="application/json", times=1):
        """Answer the next ``times`` (None: every) ``method path`` request with ``status``."""
        if body is None:
            body = {"error": HTTPStatus(status).phrase}
        if not isinstance(body, bytes | str):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        with self._lock:
            self._plans.append(PlannedAnswer(method, path, status, body, content_type, times))

    def clear(self) -> None:
        """Let the app answer everything again."""
        with self._lock:
            self._plans.clear()

    def reset(self) -> None:
        """Clear the plans and forget what was answered."""
        with self._lock:
            self._plans.clear()
            self.log.clear()

    def statuses(self, method: str, path: str) -> list[int]:
        """Return the statuses given so far to ``method path``, oldest first."""
        with self._lock:
            return [status for m, p, status in self.log if (m, p) == (method, path)]

    def _record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.log.append((method, path, status))

    def _take(self, method: str, path: str) -> PlannedAnswer | None:
        with self._lock:
            for plan in self._plans:
                if plan.matches(method, path):
                    if plan.times is not None:
                        plan.times -= 1
                        if plan.times == 0:
                            self._plans.remove(plan)
                    return plan
        return None

    def _finished(self) -> None:
        with self._lock:
            self.active -= 1

    def _counted(self, answer):
        # Counted as answered once the body is out: the dev server may then wait a long time
        # for the client to close the connection before it closes the answer.
        try:
            yield from answer
        finally:
            if hasattr(answer, "close"):
                answer.close()
            self._finished()

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        plan = self._take(method, path)
        if plan is None:

            def logged_start_response(status, headers, exc_info=None):
                if exc_info is None:
                    self._record(method, path, int(status.split()[0]))
                return start_response(status, headers, exc_info)

            with self._lock:
                self.active += 1
            try:
                answer = self.wsgi_app(environ, logged_start_response)
            except BaseException:
                self._finished()
                raise
            return self._counted(answer)
        get_input_stream(environ).read()  # the body is read, as the app would have read it
        self._record(method, path, plan.status)
        headers = [("Content-Type", plan.content_type), ("Content-Length", str(len(plan.body)))]
        start_response(f"{plan.status} {HTTPStatus(plan.status).phrase}", headers)
        return [plan.body]


class LiveServer:
    """The app served on 127.0.0.1 from a thread; it can stop for a while and come back."""

    def __init__(self, app):
        self.app = app
        self.faults = Faults(app.wsgi_app)
        app.wsgi_app = self.faults
        self.port = 0
        self._server = None
        self._thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self._server.port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until no answer is under way and no request came for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        seen = -1
        while time.monotonic() < deadline:
            count = len(self.faults.log)
            if count == seen and self.faults.active == 0:
                return
            seen = count
            time.sleep(quiet)

    @contextmanager
    def stopped(self):
        """Stop serving for the block, then prove that no request reached the app meanwhile."""
        self.stop()
        self.settle()  # a worker's revalidation may still be on its way from before
        before = len(self.faults.log)
        try:
            yield
        finally:
            reached = self.faults.log[before:]
            self.start()
        assert not reached, f"requests reached the stopped server: {reached}"

    def query(self, work: Callable):
        """Return ``work(db.session)`` run in a fresh app context, so nothing stale is read."""
        with self.app.app_context():
            try:
                return work(db.session)
            finally:
                db.session.remove()

    def translate(self, message: str, **values) -> str:
        """Return ``message`` as the app says it to a Swedish browser."""
        with self.app.test_request_context(headers={"Accept-Language": "sv-SE"}):
            return str(gettext(message, **values))


def _recreate_browser_schema() -> None:
    engine = create_engine(database_url(POSTGRES_URL))
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {BROWSER_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {BROWSER_SCHEMA}"))
    engine.dispose()


def _drop_browser_schema() -> None:
    engine = create_engine(database_url(POSTGRES_URL))
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {BROWSER_SCHEMA} CASCADE"))
    engine.dispose()


def _server_database(tmp_path_factory) -> tuple[str, dict]:
    """Return the live server's database URL and settings; the schema is fresh and empty."""
    if POSTGRES_URL:
        _recreate_browser_schema()
        engine_options = {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={BROWSER_SCHEMA}"},
        }
        return database_url(POSTGRES_URL), {"SQLALCHEMY_ENGINE_OPTIONS": engine_options}
    path = tmp_path_factory.mktemp("browser-db") / "est.sqlite3"
    return f"sqlite:///{path}", {}


def _seed(app) -> None:
    with app.app_context():
        ensure_categories(db.session)
        for name, ring in AREAS.items():
            db.session.add(Area(name=name, geometry={"type": "Polygon", "coordinates": [ring]}))
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Serve one seeded EST app for the whole session."""
    url, database_settings = _server_database(tmp_path_factory)
    settings = {**SERVER_SETTINGS, **database_settings}
    migrate_to_latest(url, **settings)
    app = create_app(app_settings(url, **settings))
    _seed(app)
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()
    if POSTGRES_URL:
        _drop_browser_schema()


@pytest.fixture
def faults(live_server):
    """Return the server's fault plan and log, empty at the start and cleared after the test."""
    live_server.faults.reset()
    yield live_server.faults
    live_server.faults.reset()


# --- accounts and data ---


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    name: str


@pytest.fixture
def create_account(live_server):
    """Return a factory of users on the live server, each in an organisation of its own."""

    def create(role: str = "reporter", kind: str = "housing_company") -> Account:
        suffix = uuid.uuid4().hex[:8]

        def add(session) -> Account:
            organisation = Organisation(name=f"Browser {role} {suffix}", kind=kind)
            user = User(
                email=f"{role}-{suffix}@kumla.example",
                name=f"Test {role} {suffix}",
                role=role,
                organisation=organisation,
            )
            user.set_password(PASSWORD)
            session.add(user)
            session.commit()
            return Account(user.id, user.email, user.name)

        return live_server.query(add)

    return create


@pytest.fixture
def reporter(create_account) -> Account:
    return create_account("reporter")


@dataclass(frozen=True)
class StoredPhoto:
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class StoredObservation:
    id: str
    category: str
    description: str
    area: str | None
    photos: tuple[StoredPhoto, ...]


def stored_observations(live_server: LiveServer, account: Account) -> list[StoredObservation]:
    """Return what the server holds from ``account``, read afresh from its database."""
    from est_pwa.observations.models import Observation

    def read(session) -> list[StoredObservation]:
        query = db.select(Observation).filter_by(reporter_id=account.id)
        return [
            StoredObservation(
                id=str(row.id),
                category=row.category.code,
                description=row.description,
                area=row.area.name if row.area else None,
                photos=tuple(StoredPhoto(p.width, p.height, p.data) for p in row.photos),
            )
            for row in session.scalars(query.order_by(Observation.created_at))
        ]

    return live_server.query(read)


def wait_for_stored(live_server: LiveServer, account: Account, count: int, timeout: float = 15):
    """Wait until the server holds ``count`` observations from ``account``; return them."""
    deadline = time.monotonic() + timeout
    while True:
        stored = stored_observations(live_server, account)
        if len(stored) >= count or time.monotonic() > deadline:
            assert len(stored) == count, f"the server holds {len(stored)}, not {count}"
            return stored
        time.sleep(0.1)


@contextmanager
def category_inactive(live_server: LiveServer, code: str):
    """Deactivate a category on the server for the block (the session shares the database)."""

    def set_active(active: bool):
        def work(session):
            session.scalar(db.select(Category).filter_by(code=code)).active = active
            session.commit()

        return work

    live_server.query(set_active(False))
    try:
        yield
    finally:
        live_server.query(set_active(True))


@pytest.fixture
def photo(tmp_path) -> Path:
    """Return a 3000×2000 JPEG carrying EXIF with a camera name and a GPS position."""
    path = tmp_path / "photo.jpg"
    noise = Image.effect_noise((3000, 2000), 40)
    image = Image.merge("RGB", (noise, Image.linear_gradient("L").resize(noise.size), noise))
    exif = Image.Exif()
    exif[0x010F] = "EST test camera"
    exif[0x8825] = {1: "N", 2: (59.0, 7.0, 39.7), 3: "E", 4: (15.0, 8.0, 36.2)}
    image.save(path, "JPEG", quality=85, exif=exif)
    return path


# --- the browser ---


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium (Playwright's own download is not reachable here)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, base_url):
    """A phone in Kumla with Swedish settings, allowed to locate itself and to run workers."""
    return {
        **browser_context_args,
        "base_url": base_url,
        "viewport": PHONE,
        "permissions": ["geolocation"],
        "geolocation": KUMLA,
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
        "service_workers": "allow",
    }


@pytest.fixture
def reporter_with_outbox(page, faults, reporter) -> Account:
    """Log a reporter in with one report refused by the server and one waiting on the device."""
    log_in(page, reporter)
    wait_for_service_worker(page)
    page.goto("/rapport/ny")
    refusal = {"errors": {"description": ["Beskrivningen innehåller ett personnummer."]}}
    faults.plan("POST", OBSERVATIONS_API, 400, refusal, times=None)
    capture(page, description="Avvisas av servern")
    expect(page.locator("[data-outbox-badge].outbox-badge--alert")).to_be_visible()
    faults.clear()
    faults.plan("POST", OBSERVATIONS_API, 503, times=None)
    capture(page, category="OTRYGG_PLATS_BELYSNING", description="Väntar på att skickas")
    return reporter


@pytest.fixture
def page(context) -> Page:
    """A page whose uncaught script errors fail the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"uncaught errors in the page: {errors}"


# --- what a user does ---


def log_in(page: Page, account: Account, path: str = "/login") -> None:
    """Log in through the real form (``path`` may carry a ``next``) and wait for the redirect."""
    if not page.url.split("?")[0].endswith("/login"):
        page.goto(path)
    page.locator("input[name=email]").fill(account.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def log_out(page: Page) -> None:
    """Log out with the button in the menu."""
    page.locator(".site-nav__account form button").click()
    expect(page.locator(".site-nav__account a[href^='/login']")).to_be_visible()


def wait_for_service_worker(page: Page) -> None:
    """Wait until the service worker is activated and controls the page (reloading if need be)."""
    assert page.evaluate(SERVICE_WORKER_ACTIVATED) == "activated"
    if not page.evaluate(SERVICE_WORKER_CONTROLS):
        page.reload()
        assert page.evaluate(SERVICE_WORKER_CONTROLS), "no service worker controls the page"


def wait_for_offline_pages(page: Page, *paths: str) -> None:
    """Wait until the service worker has cached ``paths`` for use offline."""
    assert page.evaluate(PAGES_CACHED, list(paths)), f"not cached for offline use: {paths}"


def badge(page: Page):
    return page.locator("[data-outbox-badge]")


def expect_waiting(page: Page, count: int) -> None:
    """Expect the header badge to show ``count`` waiting items (hidden when none)."""
    if count:
        expect(badge(page)).to_be_visible()
        expect(badge(page).locator("[data-outbox-count]")).to_have_text(str(count))
    else:
        expect(badge(page)).to_be_hidden()


def choose_category(page: Page, code: str) -> None:
    """Open the category's group by its summary and pick the category's radio button."""
    radio = page.locator(f"form[data-capture] input[name=category][value={code}]")
    main = radio.get_attribute("data-main")
    page.locator(f"details[data-main={main}] > summary").click()
    radio.check()


def capture(
    page: Page,
    *,
    category: str = "SKADEGORELSE_KLOTTER",
    description: str = "Klotter på gavelväggen",
    photo: Path | None = None,
    area: str | None = None,
) -> str:
    """Fill in and save the open "Ny rapport" form; return the report's id."""
    form = page.locator("form[data-capture]")
    report_id = form.locator("input[name=id]").input_value()
    choose_category(page, category)
    page.locator("#description").fill(description)
    if area:
        page.locator("#area_id").select_option(label=area)
    else:
        expect(page.locator("#lat")).to_have_value(re.compile(r"^-?\d+\.\d+$"))
    if photo:
        page.locator("#photos").set_input_files(photo)
        expect(page.locator("[data-photo-previews] li")).to_have_count(1, timeout=15000)
    page.locator("[data-save]").click()
    saved = form.get_attribute("data-saved-message")
    expect(page.locator("[data-toasts]").get_by_text(saved).last).to_be_visible()
    expect(form.locator("input[name=id]")).not_to_have_value(report_id)
    return report_id


def outbox_rows(page: Page):
    return page.locator("[data-outbox-list] > li")


def outbox_text(page: Page, name: str) -> str:
    """Return one of the texts that "Mina rapporter" uses, from its data attributes."""
    return page.locator("[data-outbox-section]").get_attribute(f"data-text-{name}")


def send_now(page: Page) -> None:
    """Press "Skicka nu" on "Mina rapporter" and wait until the flush is over."""
    button = page.locator("[data-flush]")
    button.click()
    expect(button).to_be_enabled()
