"""Logging in and out."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user
from sqlalchemy import bindparam

from ..clock import now_utc
from ..errors import error_response, wants_json
from ..extensions import db, limiter, login_manager
from .forms import LoginForm
from .models import User

bp = Blueprint("accounts", __name__)
# Built once, as every request that asks for the user runs it (the organisation comes joined).
USER_BY_ID = db.select(User).where(User.id == bindparam("id"))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the logged-in user, or None when the account is gone."""
    if not user_id.isdigit():
        return None
    return db.session.scalar(USER_BY_ID, {"id": int(user_id)})


@login_manager.unauthorized_handler
def unauthorized():
    """Send a browser to the log-in page; answer 401 JSON to the API."""
    if wants_json():
        return error_response(401)
    # Only a page the user opened gets the message: a background fetch (the service worker's)
    # must not write the session cookie, or it could overwrite the log-in form's CSRF token.
    if request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate":
        flash(_("Log in to continue."), "info")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def safe_next(target: str | None) -> str | None:
    """Return ``target`` when it is a path on this site, else None."""
    if not target or "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _account_key() -> str:
    return "account:" + request.form.get("email", "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key)
def login():
    """Log a user in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(db.select(User).filter_by(email=email))
        if user and user.active and user.check_password(form.password.data):
            login_user(user, remember=form.remember.data)
            user.last_login_at = now_utc()
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("core.index"))
        flash(_("Wrong e-mail or password."), "error")
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    """Log the user out (a GET asks for confirmation, so a link cannot log anyone out)."""
    if request.method == "GET":
        return render_template("accounts/logout.html")
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("core.index"))
