"""Error answers: an HTML page for a browser, JSON under /api/ or for JSON clients."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db


def wants_json() -> bool:
    """Return whether the client should get JSON rather than a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("You need to log in."),
        403: _("You do not have permission to do that."),
        404: _("The page could not be found."),
        405: _("That method is not allowed here."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Wait a moment and try again."),
        500: _("Something went wrong on our side. Nothing was saved; try again."),
    }


def error_response(status: int, message: str | None = None, **extra):
    """Answer ``status`` with ``message`` as JSON (plus ``extra`` fields) or as an error page."""
    message = message or _messages().get(status, _messages()[400])
    if wants_json():
        return jsonify(error=message, **extra), status
    try:
        return render_template(f"errors/{status}.html", message=message), status
    except TemplateNotFound:
        return render_template("errors/generic.html", code=status, message=message), status


def handle_http_error(error: HTTPException):
    """Answer an HTTP error the way the client expects."""
    code = error.code or 500
    # A view's own abort(code, message) is shown; the framework's English defaults are not.
    own = error.description != type(error).description and code != 429
    return error_response(code, error.description if own else None)


def handle_csrf_error(error: CSRFError):
    """Refuse a forged or stale form with a clear message."""
    # The outbox tells a stale token ("csrf") from a refused record and simply retries.
    message = _(
        "The form has expired or was not sent from this site. Reload the page and try again."
    )
    return error_response(400, message, code="csrf")


def handle_server_error(error: Exception):
    """Roll back whatever the failed request wrote and answer 500."""
    db.session.rollback()
    return error_response(500)


def register(app: Flask) -> None:
    """Install the error handlers on ``app``."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(500, handle_server_error)
