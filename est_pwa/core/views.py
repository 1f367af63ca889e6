"""The start page, the language switch and the accessibility statement."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func

from ..accounts.views import safe_next
from ..extensions import db
from ..i18n import LANGUAGE_COOKIE
from ..observations.models import Observation, counted
from ..permissions import can

bp = Blueprint("core", __name__)


@bp.route("/")
def index():
    """Show the start page, with the latest figures to those who may see them."""
    counts = None
    if can(current_user, "dashboard.view"):
        rows = db.session.execute(
            db.select(Observation.status, func.count())
            .where(counted())
            .group_by(Observation.status)
        )
        counts = dict(rows.all())
    return render_template("core/index.html", counts=counts)


@bp.route("/sprak", methods=["POST"])
def set_language():
    """Remember the chosen language in a cookie and go back to the page."""
    language = request.form.get("language", "sv")
    if language not in current_app.config["LANGUAGES"]:
        language = "sv"
    response = redirect(safe_next(request.form.get("next")) or url_for("core.index"))
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
    )
    return response


@bp.route("/tillganglighet")
def accessibility():
    """Show the accessibility statement required by the DOS law."""
    return render_template("core/accessibility.html")
