"""The coordinators' workspace: the review inbox and an observation's detail page with actions."""

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.views import safe_next
from ..audit.models import AuditEvent
from ..categories.models import Category
from ..extensions import db
from ..labels import STATUS_LABELS
from ..observations.models import Observation
from ..permissions import can, get_permitted, require
from . import duplicates, service
from .filters import filter_from_request, filtered_select, paginate
from .forms import (
    BulkForm,
    ClassifyForm,
    CommentForm,
    FeedbackForm,
    MergeForm,
    PoliceForm,
    StatusForm,
    UnmergeForm,
)

bp = Blueprint("review", __name__)


@bp.get("/granskning")
@require("observation.view")
def inbox():
    """List the observations the filter selects, a page at a time, with bulk actions."""
    form = filter_from_request()
    query = filtered_select(form, current_user)
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
    # What each row shows, loaded with the page rather than one query per row.
    shown = (joinedload(Observation.area), joinedload(Observation.organisation))
    shown += (joinedload(Observation.category), selectinload(Observation.photos))
    page = paginate(query.options(*shown), form.sort.data, request.args.get("efter"))
    return render_template(
        "review/inbox.html", filter=form, page=page, total=total, bulk=BulkForm(formdata=None)
    )


@bp.post("/granskning/massandring")
@require("observation.review")
def bulk():
    """Apply one action to the ticked observations and go back to the same view."""
    form = BulkForm()
    back = safe_next(form.next.data) or url_for(".inbox")
    if not form.validate():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(back)
    chosen = _chosen(form.ids.data)
    value = form.status.data
    if form.action.data == "category":
        value = db.session.scalar(db.select(Category).filter_by(code=form.category.data))
    changed, skipped = service.apply_bulk(chosen, form.action.data, value)
    db.session.commit()
    flash(ngettext("%(num)s observation changed.", "%(num)s observations changed.", changed))
    if skipped:
        flash(_("Merged duplicates were left as they are: change their originals."), "error")
    return redirect(back)


def _chosen(ids: list[str]) -> list[Observation]:
    try:
        wanted = [uuid.UUID(raw) for raw in ids]
    except ValueError:
        abort(400)
    return [
        get_permitted(Observation, observation_id, "observation.view") for observation_id in wanted
    ]


@bp.get("/observationer/<uuid:observation_id>")
@require("observation.view")
def detail(observation_id):
    """Show an observation with its photos, map, duplicates, comments and history."""
    return _render_detail(get_permitted(Observation, observation_id, "observation.view"))


def _render_detail(observation: Observation, status: int = 200, **forms):
    """Render the detail page; ``forms`` replaces a blank form with one that failed."""
    forms = {
        "status_form": StatusForm(formdata=None, status=observation.status),
        "classify_form": _classify_form(observation),
        "feedback_form": FeedbackForm(formdata=None, feedback=observation.feedback),
        "police_form": PoliceForm(formdata=None, police_reported=observation.police_reported),
        "comment_form": CommentForm(formdata=None),
        **forms,
    }
    suggestions = _suggestions(observation)
    context = {
        "observation": observation,
        "merged": db.session.scalars(
            db.select(Observation).filter_by(duplicate_of=observation)
        ).all(),
        "suggestions": suggestions,
        "points": _map_points(observation, suggestions),
        "comments": [c for c in observation.comments if can(current_user, "comment.view", c)],
        "history": _history(observation),
        "merge_form": MergeForm(formdata=None),
        "unmerge_form": UnmergeForm(formdata=None),
    }
    return render_template("review/detail.html", **context, **forms), status


def _classify_form(observation: Observation) -> ClassifyForm:
    area = str(observation.area_id) if observation.area_locked and observation.area_id else ""
    return ClassifyForm(
        formdata=None,
        category=observation.category.code,
        place_type=observation.place_type or "",
        area=area,
    )


def _map_points(observation: Observation, suggestions: list) -> list[dict]:
    """Return the observation (1) and its likely duplicates (2, 3, …) as numbered map points."""
    found = [observation, *(candidate.observation for candidate in suggestions)]
    return [
        {"n": number, "lat": o.lat, "lon": o.lon, "label": o.category.name}
        for number, o in enumerate(found, start=1)
    ]


def _suggestions(observation: Observation) -> list:
    if observation.duplicate_of_id or not can(current_user, "observation.review"):
        return []
    return duplicates.suggest(observation, current_user)


def _history(observation: Observation) -> list[AuditEvent]:
    merged_ids = db.select(Observation.id).filter_by(duplicate_of_id=observation.id)
    ids = [str(observation.id), *(str(i) for i in db.session.scalars(merged_ids))]
    query = (
        db.select(AuditEvent)
        .filter(AuditEvent.object_type == "Observation", AuditEvent.object_id.in_(ids))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return db.session.scalars(query).all()


def _act(observation_id, form_class, name: str, apply):
    """Validate ``form_class``, ``apply`` it to the observation, commit and go back to it."""
    observation = get_permitted(Observation, observation_id, "observation.view")
    form = form_class()
    if not form.validate():
        return _render_detail(observation, 400, **{name: form})
    try:
        message = apply(observation, form)
    except service.ReviewError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".detail", observation_id=observation_id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".detail", observation_id=observation_id))


@bp.post("/observationer/<uuid:observation_id>/status")
@require("observation.review")
def change_status(observation_id):
    """Move the observation along the workflow (or back: reopening is recorded)."""

    def apply(observation, form):
        service.change_status(observation, form.status.data, form.reason.data or "")
        label = STATUS_LABELS.get(observation.status, observation.status)
        return _("The status is now “%(status)s”.", status=label)

    return _act(observation_id, StatusForm, "status_form", apply)


@bp.post("/observationer/<uuid:observation_id>/klassning")
@require("observation.review")
def classify(observation_id):
    """Set category, kind of place and (by hand or from the boundaries) the area."""

    def apply(observation, form):
        changes = service.classify(
            observation, form.chosen_category(), form.place_type.data, form.chosen_area()
        )
        return _("The classification was saved.") if changes else _("Nothing was changed.")

    return _act(observation_id, ClassifyForm, "classify_form", apply)


@bp.post("/observationer/<uuid:observation_id>/aterkoppling")
@require("observation.review")
def feedback(observation_id):
    """Save the feedback the reporter sees."""

    def apply(observation, form):
        service.set_feedback(observation, form.feedback.data or "")
        return _("The feedback was saved.")

    return _act(observation_id, FeedbackForm, "feedback_form", apply)


@bp.post("/observationer/<uuid:observation_id>/polisanmald")
@require("observation.review")
def police(observation_id):
    """Record whether the matter has been reported to the police."""

    def apply(observation, form):
        service.set_police_reported(observation, form.police_reported.data)
        return _("Saved.")

    return _act(observation_id, PoliceForm, "police_form", apply)


@bp.post("/observationer/<uuid:observation_id>/kommentarer")
@require("comment.create")
def comment(observation_id):
    """Add a comment, shared with the EST group or internal to the author's organisation."""

    def apply(observation, form):
        shared = form.visibility.data != "internal"
        service.add_comment(observation, current_user, form.body.data, shared)
        return _("The comment was added.")

    return _act(observation_id, CommentForm, "comment_form", apply)


@bp.post("/observationer/<uuid:observation_id>/sammanfoga")
@require("observation.review")
def merge(observation_id):
    """Merge this observation into the chosen original."""

    def apply(observation, form):
        original = get_permitted(Observation, form.original.data, "observation.view")
        duplicates.merge(observation, original)
        return _("Merged: this observation now counts through its original.")

    return _act(observation_id, MergeForm, "merge_form", apply)


@bp.post("/observationer/<uuid:observation_id>/separera")
@require("observation.review")
def unmerge(observation_id):
    """Undo a merge: the observation counts on its own again."""

    def apply(observation, form):
        duplicates.unmerge(observation)
        return _("The observation is no longer merged.")

    return _act(observation_id, UnmergeForm, "unmerge_form", apply)
