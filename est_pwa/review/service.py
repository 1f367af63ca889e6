"""The coordinator's changes to an observation: status, classification, feedback, comments.

Every change is recorded in the audit trail, which the detail page shows as the history.
"""

from flask_babel import gettext as _

from ..areas.models import Area
from ..areas.service import assign_areas
from ..audit.models import record
from ..categories.models import Category
from ..extensions import db
from ..observations.models import Comment, Observation
from ..public.service import set_moderation

# The EST workflow in its order; "avvisad" (rejected) leaves it from any step.
FLOW = ("ny", "granskad", "atgard_planerad", "atgardad", "avslutad")
REJECTED = "avvisad"


class ReviewError(ValueError):
    """A change the workflow does not allow; the message is for the user."""


def is_reopening(old: str, new: str) -> bool:
    """Return whether moving from ``old`` to ``new`` takes the observation back into work."""
    if old == REJECTED:
        return new != REJECTED
    return new in FLOW and FLOW.index(new) < FLOW.index(old)


def change_status(observation: Observation, status: str, reason: str = "") -> bool:
    """Move ``observation`` to ``status``; return whether anything changed."""
    if observation.duplicate_of_id is not None:
        raise ReviewError(_("A merged duplicate follows its original; change the original."))
    if status == observation.status:
        return False
    if status == REJECTED and not reason.strip():
        raise ReviewError(_("Say why the observation is rejected."))
    action = (
        "observation.reopen" if is_reopening(observation.status, status) else "observation.status"
    )
    record(action, observation, old=observation.status, new=status, reason=reason.strip())
    observation.status = status
    observation.status_reason = reason.strip()
    return True


def classify(
    observation: Observation, category: Category, place_type: str | None, area: Area | None
) -> dict:
    """Set category, place type and area (None: from the boundaries); return what changed."""
    before = _classification(observation)
    observation.category = category
    observation.place_type = place_type or None
    observation.area_locked = area is not None
    if area is not None:
        observation.area = area
    else:
        assign_areas([observation])
    changes = {
        name: [old, new]
        for (name, old), new in zip(
            before.items(), _classification(observation).values(), strict=True
        )
        if old != new
    }
    if changes:
        record("observation.classify", observation, changes=changes)
    return changes


def _classification(observation: Observation) -> dict:
    return {
        "category": observation.category.code,
        "place_type": observation.place_type,
        "area": observation.area.name if observation.area else None,
        "area_locked": bool(observation.area_locked),
    }


def set_feedback(observation: Observation, feedback: str) -> bool:
    """Write the feedback the reporter sees; return whether it changed."""
    feedback = feedback.strip()
    if feedback == observation.feedback:
        return False
    record("observation.feedback", observation, length=len(feedback))
    observation.feedback = feedback
    return True


def set_police_reported(observation: Observation, reported: bool) -> bool:
    """Mark whether the matter has been reported to the police; return whether it changed."""
    if bool(observation.police_reported) == reported:
        return False
    record("observation.police_reported", observation, police_reported=reported)
    observation.police_reported = reported
    return True


def add_comment(observation: Observation, author, body: str, shared: bool) -> Comment:
    """Add a partner's comment, internal to their organisation or shared with the EST group."""
    comment = Comment(
        observation_id=observation.id,
        author_id=author.id,
        organisation_id=author.organisation_id,
        body=body.strip(),
        shared=shared,
    )
    db.session.add(comment)
    record("observation.comment", observation, shared=shared)
    return comment


def apply_bulk(observations: list[Observation], action: str, value: str = "", reason: str = ""):
    """Apply one bulk action to ``observations``; return how many changed and which were skipped."""
    if action in ("accepted", "spam"):
        return set_moderation(observations, action), []
    changed, skipped = 0, []
    for observation in observations:
        try:
            changed += _bulk_one(observation, action, value, reason)
        except ReviewError:
            skipped.append(observation)
    return changed, skipped


def _bulk_one(observation: Observation, action: str, value, reason: str) -> bool:
    if action == "status":
        return change_status(observation, value, reason)
    area = observation.area if observation.area_locked else None
    return bool(classify(observation, value, observation.place_type, area))
