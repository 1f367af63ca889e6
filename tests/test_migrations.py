"""Migrations applied from empty give exactly the models' schema, and go back down cleanly."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from est_pwa.accounts.models import Organisation
from est_pwa.app import create_app
from est_pwa.extensions import db

from conftest import POSTGRES_URL, app_settings

SCHEMA = "est_migration_check"


def _sqlite_app(tmp_path):
    return create_app(app_settings(f"sqlite:///{tmp_path / 'empty.sqlite3'}"))


def _postgres_app():
    # A schema of its own, so the shared test database is left alone.
    options = {"connect_args": {"options": f"-csearch_path={SCHEMA}"}}
    return create_app(app_settings(POSTGRES_URL, SQLALCHEMY_ENGINE_OPTIONS=options))


def _run_in_postgres_schema(sql: str) -> None:
    app = create_app(app_settings(POSTGRES_URL))
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text(sql))
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"])
def empty_app(request, tmp_path):
    """Return an app on an empty database (SQLite, and PostgreSQL when configured)."""
    if request.param == "postgresql":
        _run_in_postgres_schema(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
        app = _postgres_app()
    else:
        app = _sqlite_app(tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        _run_in_postgres_schema(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


def migrations_directory(app) -> str:
    return app.extensions["migrate"].directory


def schema_differences() -> list:
    """Return what autogenerate would change to bring the database to the models."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    with db.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_empty_database_has_no_tables(empty_app):
    assert table_names() == set()


def test_migrations_from_empty_give_the_models_schema(empty_app):
    upgrade(directory=migrations_directory(empty_app))
    assert table_names() == set(db.metadata.tables) | {"alembic_version"}
    assert schema_differences() == []


def test_migrations_downgrade_to_base_and_up_again(empty_app):
    directory = migrations_directory(empty_app)
    upgrade(directory=directory)
    downgrade(directory=directory, revision="base")
    assert table_names() <= {"alembic_version"}
    upgrade(directory=directory)
    assert schema_differences() == []


def test_migrated_schema_takes_data(empty_app):
    upgrade(directory=migrations_directory(empty_app))
    db.session.add(Organisation(name="Kumla kommun", kind="municipal_unit"))
    db.session.commit()
    assert db.session.scalar(db.select(Organisation.name)) == "Kumla kommun"


def test_there_is_one_head(app):
    config = app.extensions["migrate"].migrate.get_config(migrations_directory(app))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
