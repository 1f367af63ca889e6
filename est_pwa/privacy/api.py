"""Warning writers about personal data before they send, and masking it for readers."""

from flask import Blueprint, Flask, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import limiter
from ..permissions import can
from . import pii

bp = Blueprint("privacy", __name__, url_prefix="/api/v1/privacy")


def kind_names() -> dict[str, str]:
    """Return what each kind of personal data is called in the request's language."""
    return {
        "personnummer": _("personal identity numbers"),
        "samordningsnummer": _("coordination numbers"),
        "telefon": _("phone numbers"),
        "epost": _("e-mail addresses"),
        "regnr": _("registration numbers"),
    }


def warning(kinds: set[str]) -> str | None:
    """Return the warning shown before sending text with personal data, or None."""
    if not kinds:
        return None
    names = ", ".join(kind_names()[kind] for kind in sorted(kinds))
    return _(
        "The text seems to contain %(what)s. Describe the place and the situation, not people: "
        "please remove them. What is stored is masked for everyone but the coordinators.",
        what=names,
    )


@bp.post("/check")
@limiter.limit("60 per minute")
def check():
    """Say which kinds of personal data a text seems to contain."""
    payload = request.get_json(silent=True) or {}
    text = payload.get("text") if isinstance(payload, dict) else None
    if not isinstance(text, str) or len(text) > 10_000:
        return jsonify(error=_('Send the text as {"text": "…"}.')), 400
    kinds = pii.kinds(text)
    return jsonify(kinds=sorted(kinds), warning=warning(kinds))


def visible_text(text: str | None) -> str:
    """Return ``text`` as the current user may see it: masked unless the role needs it raw."""
    if not text:
        return ""
    return text if can(current_user, "pii.view") else pii.mask(text)


def register(app: Flask) -> None:
    """Add the ``masked`` template filter."""
    app.add_template_filter(visible_text, "masked")
