"""Fixtures: an app with its own migrated database per test, clients, log-in and factories."""

import os
import re
import shutil
import uuid
from datetime import timedelta

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from est_pwa.accounts.models import Organisation, User
from est_pwa.app import create_app
from est_pwa.areas.models import Area
from est_pwa.categories.models import Category
from est_pwa.clock import now_utc
from est_pwa.extensions import db
from est_pwa.observations.models import Observation

POSTGRES_URL = os.environ.get("EST_TEST_DATABASE_URL")
PASSWORD = "correct horse battery"
KUMLA = (59.1277, 15.1434)
SQUARE = [[15.13, 59.12], [15.16, 59.12], [15.16, 59.14], [15.13, 59.14], [15.13, 59.12]]


def app_settings(database_url: str, **overrides) -> dict:
    """Return the settings of a test app on ``database_url``."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        "TILE_URL": "",
        **overrides,
    }


def migrate_to_latest(database_url: str, **overrides) -> None:
    """Apply every migration to the database at ``database_url``."""
    app = create_app(app_settings(database_url, **overrides))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> str:
    """Return a database URL (PostgreSQL) or SQLite file path with the schema migrated once."""
    if POSTGRES_URL:
        app = create_app(app_settings(POSTGRES_URL))
        with app.app_context():
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.engine.dispose()
        migrate_to_latest(POSTGRES_URL)
        return POSTGRES_URL
    path = tmp_path_factory.mktemp("template") / "est.sqlite3"
    migrate_to_latest(f"sqlite:///{path}")
    return str(path)


def _empty_postgres() -> None:
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


class RequestIsolatedClient(FlaskClient):
    """A test client whose requests each run in their own app context, as in production.

    The ``app`` fixture keeps an app context pushed so tests can use ``db.session``. Flask would
    reuse it for test requests, sharing ``g`` (the logged-in user, the language) and the
    database session between requests and the test. Each request here gets a fresh context and
    session; the test's own session commits around it, so the request sees what the test wrote
    and the test then reads what the request stored.
    """

    def open(self, *args, **kwargs):
        if _cv_app.get(None) is None:
            return super().open(*args, **kwargs)
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.commit()
        return response


@pytest.fixture
def app(migrated_database, tmp_path):
    """Return an app whose database is migrated and empty, inside an app context."""
    if POSTGRES_URL:
        url = migrated_database
    else:
        copy = tmp_path / "est.sqlite3"
        shutil.copy(migrated_database, copy)
        url = f"sqlite:///{copy}"
    app = create_app(app_settings(url))
    app.test_client_class = RequestIsolatedClient
    with app.app_context():
        yield app
        if POSTGRES_URL:
            _empty_postgres()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _close_every_engine(monkeypatch):
    """Close the pooled connections of every app a test makes (some make their own apps).

    A connection left to the garbage collector warns (psycopg's ResourceWarning), and with
    warnings as errors that would fail whichever test happens to run at collection time.
    """
    made = []
    make_engine = db._make_engine

    def tracked(*args, **kwargs):
        engine = make_engine(*args, **kwargs)
        made.append(engine)
        return engine

    monkeypatch.setattr(db, "_make_engine", tracked)
    yield
    for engine in made:
        engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token_from(response) -> str:
    """Return the CSRF token in a page's form."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page has no CSRF token"
    return match.group(1)


class AuthActions:
    """Log the test client in and out through the real forms."""

    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD, next_url: str | None = None):
        page = self._client.get("/login")
        url = "/login" if next_url is None else f"/login?next={next_url}"
        data = {"email": email, "password": password, "csrf_token": csrf_token_from(page)}
        return self._client.post(url, data=data)

    def logout(self):
        page = self._client.get("/logout")
        return self._client.post("/logout", data={"csrf_token": csrf_token_from(page)})


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def post_form(client):
    """Return a function that GETs a form page and POSTs ``data`` to it with its CSRF token."""

    def post(url: str, data: dict, form_url: str | None = None, **kwargs):
        token = csrf_token_from(client.get(form_url or url))
        return client.post(url, data={**data, "csrf_token": token}, **kwargs)

    return post


@pytest.fixture
def create_organisation(app):
    def create(name: str = "Kumla kommun", kind: str = "municipal_unit") -> Organisation:
        organisation = Organisation(name=name, kind=kind)
        db.session.add(organisation)
        db.session.commit()
        return organisation

    return create


@pytest.fixture
def create_user(app, create_organisation):
    """Return a factory of users; each role gets its own organisation of a fitting kind."""
    kinds = {"police": "police", "reporter": "housing_company"}

    def create(role: str = "coordinator", email: str | None = None, organisation=None) -> User:
        if organisation is None:
            name = f"Org {role} {uuid.uuid4().hex[:6]}"
            organisation = create_organisation(name, kinds.get(role, "municipal_unit"))
        user = User(
            email=email or f"{role}-{uuid.uuid4().hex[:6]}@kumla.example",
            name=f"Test {role}",
            role=role,
            organisation=organisation,
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return create


@pytest.fixture
def login_as(auth, create_user):
    """Create a user with ``role`` and log the client in as that user."""

    def login(role: str, **kwargs) -> User:
        user = create_user(role, **kwargs)
        response = auth.login(user.email)
        assert response.status_code == 302, "log-in failed"
        return user

    return login


@pytest.fixture
def create_category(app):
    def create(code: str = "SKADEGORELSE", parent=None, **fields) -> Category:
        category = Category(
            code=code,
            parent=parent,
            name_sv=fields.pop("name_sv", code.title()),
            name_en=fields.pop("name_en", code.title()),
            **fields,
        )
        db.session.add(category)
        db.session.commit()
        return category

    return create


@pytest.fixture
def create_area(app):
    def create(name: str = "Centrum", ring=None, **fields) -> Area:
        area = Area(name=name, geometry={"type": "Polygon", "coordinates": [ring or SQUARE]})
        for key, value in fields.items():
            setattr(area, key, value)
        db.session.add(area)
        db.session.commit()
        return area

    return create


@pytest.fixture
def create_observation(app, create_category):
    """Return a factory of observations near Kumla's centre."""

    def create(category=None, lat: float = KUMLA[0], lon: float = KUMLA[1], **fields):
        category = category or db.session.scalar(db.select(Category)) or create_category()
        observation = Observation(
            id=fields.pop("id", uuid.uuid4()),
            occurred_at=fields.pop("occurred_at", now_utc() - timedelta(hours=2)),
            lat=lat,
            lon=lon,
            category=category,
            source=fields.pop("source", "municipal_unit"),
            **fields,
        )
        db.session.add(observation)
        db.session.commit()
        return observation

    return create
