"""The ``flask --app wsgi est ...`` commands: init-db, create-user and import-areas."""

import json

import pytest
from sqlalchemy import inspect

from est_pwa.accounts.models import Organisation, User
from est_pwa.app import create_app
from est_pwa.areas.models import Area
from est_pwa.audit.models import AuditEvent
from est_pwa.cli import _safe_url
from est_pwa.extensions import db

from conftest import PASSWORD, SQUARE, app_settings


def run_create_user(runner, *args: str, password: str = PASSWORD):
    """Run ``est create-user`` with ``password`` on standard input."""
    result = runner.invoke(args=["est", "create-user", *args], input=f"{password}\n")
    db.session.rollback()  # what the command did not commit is gone when its process ends
    return result


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


# init-db


@pytest.fixture
def fresh_app(tmp_path):
    """Return an app on a SQLite file that does not exist yet."""
    app = create_app(app_settings(f"sqlite:///{tmp_path / 'fresh.sqlite3'}"))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_init_db_creates_the_schema_in_an_empty_database(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["est", "init-db"])
    assert result.exit_code == 0, result.output
    url = fresh_app.config["SQLALCHEMY_DATABASE_URI"]
    assert result.stdout.endswith(f"Database is at the latest migration ({url}).\n")
    with fresh_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert tables == set(db.metadata.tables) | {"alembic_version"}


def test_init_db_is_safe_to_run_again(runner, create_organisation):
    create_organisation("Kumla kommun")
    result = runner.invoke(args=["est", "init-db"])
    assert result.exit_code == 0, result.output
    assert "Database is at the latest migration" in result.stdout
    assert db.session.scalar(db.select(Organisation.name)) == "Kumla kommun"


def test_init_db_hides_the_database_password():
    app = create_app(app_settings("postgresql+psycopg://est:hemligt@db.invalid/est"))
    with app.app_context():
        assert _safe_url() == "postgresql+psycopg://est:***@db.invalid/est"


# create-user


def test_create_user_creates_the_organisation_when_missing(runner):
    result = run_create_user(
        runner, "anna.berg@kumla.example", "--role", "coordinator", "--org", "Kumla kommun"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Created organisation Kumla kommun (municipal_unit).\n"
        "Created user anna.berg@kumla.example with role coordinator in Kumla kommun.\n"
    )
    user = db.session.scalar(db.select(User))
    assert (user.email, user.role, user.active) == ("anna.berg@kumla.example", "coordinator", True)
    assert user.name == "anna.berg@kumla.example"
    assert (user.organisation.name, user.organisation.kind) == ("Kumla kommun", "municipal_unit")
    assert user.check_password(PASSWORD)
    assert PASSWORD not in result.output
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["organisation.create", "user.create"]


def test_created_user_can_log_in(runner, auth, client):
    run_create_user(runner, "admin@kumla.example", "--role", "admin", "--org", "Kumla kommun")
    assert auth.login("admin@kumla.example").status_code == 302
    assert client.get("/admin/anvandare").status_code == 200


def test_create_user_joins_an_existing_organisation(runner, create_organisation):
    organisation = create_organisation("Kumla Bostäder", "housing_company")
    result = run_create_user(
        runner, "karin@kumlabostader.example", "--role", "reporter", "--org", "Kumla Bostäder"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Created user karin@kumlabostader.example with role reporter in Kumla Bostäder.\n"
    )
    assert count(Organisation) == 1
    assert db.session.scalar(db.select(User)).organisation_id == organisation.id


def test_create_user_with_organisation_kind_and_name(runner):
    result = run_create_user(
        runner,
        "polis@kumla.example",
        "--role",
        "police",
        "--org",
        " Polisen Kumla ",
        "--org-kind",
        "police",
        "--name",
        "Kommunpolisen",
    )
    assert result.exit_code == 0, result.output
    assert "Created organisation Polisen Kumla (police)." in result.stdout
    user = db.session.scalar(db.select(User))
    assert user.name == "Kommunpolisen"
    assert (user.organisation.name, user.organisation.kind) == ("Polisen Kumla", "police")


def test_create_user_stores_the_email_in_lower_case(runner):
    result = run_create_user(
        runner, "Anna.Berg@Kumla.Example", "--role", "viewer", "--org", "Kumla kommun"
    )
    assert result.exit_code == 0, result.output
    assert "Created user anna.berg@kumla.example" in result.stdout
    assert db.session.scalar(db.select(User.email)) == "anna.berg@kumla.example"


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", PASSWORD, "Error: 'not-an-email' is not a valid e-mail address"),
        ("anna@", PASSWORD, "Error: 'anna@' is not a valid e-mail address"),
        ("anna@kumla.example", "short", "Error: the password must have at least 10 characters."),
        ("anna@kumla.example", "", "Error: the password must have at least 10 characters."),
    ],
)
def test_create_user_refuses_bad_input(runner, email, password, message):
    result = run_create_user(
        runner, email, "--role", "admin", "--org", "Kumla kommun", password=password
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert count(User) == 0
    assert count(Organisation) == 0


@pytest.mark.parametrize("email", ["taken@kumla.example", "Taken@Kumla.Example"])
def test_create_user_refuses_a_duplicate_email(runner, create_user, email):
    create_user("viewer", email="taken@kumla.example")
    before = (count(User), count(Organisation))
    result = run_create_user(runner, email, "--role", "admin", "--org", "Ny organisation")
    assert result.exit_code == 1
    assert result.stderr.lower() == (
        "error: a user with the e-mail taken@kumla.example already exists.\n"
    )
    assert (count(User), count(Organisation)) == before
    assert db.session.scalar(db.select(User.role)) == "viewer"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--role", "superuser", "--org", "Kumla kommun"], "Invalid value for '--role'"),
        (["--org", "Kumla kommun"], "Missing option '--role'"),
        (["--role", "admin"], "Missing option '--org'"),
        (
            ["--role", "admin", "--org", "Kumla IF", "--org-kind", "sports_club"],
            "Invalid value for '--org-kind'",
        ),
    ],
)
def test_create_user_refuses_bad_options(runner, options, message):
    result = run_create_user(runner, "anna@kumla.example", *options)
    assert result.exit_code == 2
    assert message in result.stderr
    assert count(User) == 0
    assert count(Organisation) == 0


def test_create_user_needs_an_email(runner):
    result = run_create_user(runner, "--role", "admin", "--org", "Kumla kommun")
    assert result.exit_code == 2
    assert "Missing argument 'EMAIL'" in result.stderr


# import-areas (the validation table is in test_areas.py)


def test_import_areas_says_what_it_did(runner, tmp_path):
    path = tmp_path / "omraden.geojson"
    feature = {
        "type": "Feature",
        "properties": {"name": "Centrum"},
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    result = runner.invoke(args=["est", "import-areas", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Imported {path}: 1 areas created, 0 updated.\n"
    result = runner.invoke(args=["est", "import-areas", str(path)])
    assert result.stdout == f"Imported {path}: 0 areas created, 1 updated.\n"
    assert db.session.scalars(db.select(Area.name)).all() == ["Centrum"]


def test_import_areas_refuses_invalid_json(runner, tmp_path):
    path = tmp_path / "omraden.geojson"
    path.write_text("{not json")
    result = runner.invoke(args=["est", "import-areas", str(path)])
    db.session.rollback()
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: nothing was imported: ")
    assert len(result.stderr) > len("Error: nothing was imported: \n")
    assert count(Area) == 0


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_import_areas_refuses_a_file_it_cannot_read(runner, tmp_path, kind):
    path = tmp_path / "saknas.geojson" if kind == "missing" else tmp_path
    result = runner.invoke(args=["est", "import-areas", str(path)])
    assert result.exit_code in (1, 2)
    assert "Error" in result.stderr
    assert str(path) in result.stderr
    assert count(Area) == 0
