"""Exports of the filtered observations: the download and a page to choose format and CRS."""

import tempfile
from collections.abc import Iterator

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from ..clock import now_utc, to_local
from ..extensions import db
from ..permissions import can, require
from ..review.filters import filter_from_request
from .formats import FORMATS, WGS84
from .forms import ExportForm
from .service import ExportChoice, count_filtered, export_filtered

bp = Blueprint("exports", __name__)
# Exports up to this size are built in memory, bigger ones in a temporary file.
SPOOL_BYTES = 8 * 2**20
BLOCK_BYTES = 64 * 1024


def fields_in_error(*forms) -> list:
    """Return the fields of ``forms`` that failed validation."""
    return [field for form in forms for field in form if field.errors]


def _request_choice():
    """Return the filter and the export choice in the query string; 400 if any is invalid."""
    form = filter_from_request()
    options = ExportForm(formdata=request.args)
    options.validate()
    fields = fields_in_error(form, options)
    if fields:
        abort(400, " ".join(f"{f.label.text}: {' '.join(map(str, f.errors))}" for f in fields))
    return form, ExportChoice(options.format.data, options.chosen_crs())


def filename(choice: ExportChoice) -> str:
    """Return the download's name: the day it was made, and the CRS unless it is WGS84."""
    crs = "" if choice.crs == WGS84 else "-" + choice.crs.replace(":", "").lower()
    day = to_local(now_utc()).date().isoformat()
    return f"est-observationer-{day}{crs}.{FORMATS[choice.format].extension}"


def _blocks(out) -> Iterator[bytes]:
    with out:
        while block := out.read(BLOCK_BYTES):
            yield block


def attachment(out, choice: ExportChoice) -> Response:
    """Return the written file ``out`` as a private download (closed once sent)."""
    size = out.tell()
    out.seek(0)
    response = Response(_blocks(out), content_type=FORMATS[choice.format].mimetype)
    response.call_on_close(out.close)  # also when the client goes away half-way
    response.content_length = size
    response.headers.set("Content-Disposition", "attachment", filename=filename(choice))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/export")
@require("observation.export")
def download():
    """Send the observations the filter selects as a file; the export is audited."""
    if "format" not in request.args:
        return redirect(url_for(".choose", **request.args.to_dict(flat=False)))
    form, choice = _request_choice()
    # Written in full before anything is sent: a failure gives an error, not a cut-off file.
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 the response closes it
    try:
        export_filtered(form, current_user, choice, out)
        db.session.commit()
    except BaseException:
        out.close()
        raise
    return attachment(out, choice)


@bp.route("/export/val")
@require("observation.export")
def choose():
    """Show what the filter selects and let the user choose the file format and CRS."""
    form = filter_from_request()
    return render_template(
        "exports/choose.html",
        form=form,
        filter_errors=fields_in_error(form),
        options=ExportForm(formdata=None),
        count=count_filtered(form, current_user),
        unmasked=can(current_user, "pii.view"),
    )
