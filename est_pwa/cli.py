"""The ``flask --app wsgi est ...`` commands: database, demo data, users, areas, exports."""

import os
import sys
import tempfile

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from .accounts.models import ORGANISATION_KINDS, ROLES
from .extensions import db

est = AppGroup("est", help="EST administration commands.")


def fail(message: str) -> None:
    """Print ``message`` to standard error and exit with status 1."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@est.command("init-db")
def init_db():
    """Create or upgrade the database schema to the latest migration."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    click.echo(f"Database is at the latest migration ({_safe_url()}).")


def _safe_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)


@est.command("demo")
def demo():
    """Load the Kumla demo data (adds only what is missing)."""
    from .demo.loader import load_demo

    if current_app.config["ENV_NAME"] == "production":
        fail("the demo data (with its known passwords) is never loaded in production.")
    summary = load_demo()
    db.session.commit()
    click.echo(summary.describe())


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@est.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--org", "org_name", required=True, help="Organisation name.")
@click.option("--org-kind", type=click.Choice(ORGANISATION_KINDS), default="municipal_unit")
@click.option("--name", default=None, help="Display name (defaults to the e-mail).")
def create_user(email, role, org_name, org_kind, name):
    """Create a user; the password is read from standard input or a prompt."""
    from email_validator import EmailNotValidError, validate_email

    from .accounts.models import User
    from .admin.service import Conflict, ensure_organisation, save_user

    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        fail(f"{email!r} is not a valid e-mail address: {error}")
    password = _read_password()
    if len(password) < 10:
        fail("the password must have at least 10 characters.")
    organisation, created = ensure_organisation(org_name.strip(), org_kind)
    try:
        save_user(
            User(),
            email=email,
            password=password,
            name=name or email,
            role=role,
            organisation_id=organisation.id,
            active=True,
        )
    except Conflict:
        fail(f"a user with the e-mail {email} already exists.")
    db.session.commit()
    if created:
        click.echo(f"Created organisation {organisation.name} ({organisation.kind}).")
    click.echo(f"Created user {email.lower()} with role {role} in {organisation.name}.")


@est.command("import-areas")
@click.argument("path", type=click.Path(dir_okay=False))
def import_areas(path):
    """Create or update areas from a GeoJSON file whose features have a name property."""
    from .areas.geometry import GeometryError, parse_geojson
    from .areas.service import import_boundaries

    try:
        with open(path, "rb") as handle:
            boundaries = parse_geojson(handle.read(), current_app.config["MAP_BOUNDS"])
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror}")
    except GeometryError as error:
        fail(f"nothing was imported: {error}")
    created, updated = import_boundaries(boundaries)
    db.session.commit()
    click.echo(f"Imported {path}: {created} areas created, {updated} updated.")


DAY = click.DateTime(formats=["%Y-%m-%d"])


@est.command("export")
@click.option(
    "--format",
    "file_format",
    required=True,
    type=click.Choice(["csv", "csv_comma", "xlsx", "geojson"]),
)
@click.option("--crs", default="EPSG:4326", show_default=True, help="EPSG:3006 or the local zone.")
@click.option("--from", "first", type=DAY, help="First day of occurrence (Stockholm time).")
@click.option("--to", "last", type=DAY, help="Last day of occurrence (Stockholm time).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--unmasked", is_flag=True, help="Free text unmasked, with contact e-mails.")
def export(file_format, crs, first, last, out, unmasked):
    """Export the observations that count in analysis to a file (audited, masked by default)."""
    from .exports.service import ExportChoice, export_counted

    choice = ExportChoice(file_format, _export_crs(crs), unmasked)
    form = _export_filter(first, last)
    rows = _write_whole(out, lambda handle: export_counted(form, choice, handle))
    masking = "unmasked" if unmasked else "free text masked"
    click.echo(f"Exported {rows} observations to {out} ({file_format}, {choice.crs}, {masking}).")


def _export_crs(crs: str) -> str:
    from .exports.forms import allowed_crs

    if crs.strip().upper() not in allowed_crs():
        choices = ", ".join(allowed_crs())
        raise click.BadParameter(f"{crs!r} is not offered; choose {choices}.", param_hint="--crs")
    return crs.strip().upper()


def _export_filter(first, last):
    """Return the observation filter of the days ``first``-``last``, oldest first."""
    from werkzeug.datastructures import MultiDict

    from .review.filters import ObservationFilter

    if first and last and last < first:
        raise click.BadParameter("the last day comes before the first.", param_hint="--to")
    days = {"date_from": first, "date_to": last}
    arguments = {name: day.date().isoformat() for name, day in days.items() if day}
    form = ObservationFilter(formdata=MultiDict({**arguments, "sort": "occurred_old"}))
    form.validate()
    return form


def _write_whole(path: str, write) -> int:
    """Run ``write`` on a private temporary file beside ``path``, commit, then move it there."""
    try:
        descriptor, partial = tempfile.mkstemp(dir=os.path.dirname(path) or ".", suffix=".part")
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror}")
    try:
        with open(descriptor, "wb") as handle:
            rows = write(handle)
        db.session.commit()  # the audit event, before the file appears
        os.replace(partial, path)
    except BaseException:
        db.session.rollback()
        os.unlink(partial)
        raise
    return rows


def register(app: Flask) -> None:
    """Add the ``est`` command group to ``app``."""
    app.cli.add_command(est)
