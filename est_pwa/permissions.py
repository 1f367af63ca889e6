"""The one place that answers "may this user do this (to this object)?"."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import false, true

from .clock import now_utc
from .extensions import db, login_manager

ADMIN_ACTIONS = ("admin.users", "admin.organisations", "admin.categories", "admin.areas")
READ_ALL = ("observation.view", "observation.view_all", "dashboard.view")
# Safety walks: coordinators plan them, whoever reports may join, everyone reads the protocols.
WALK_READ_ALL = ("walk.view", "walk.view_all")
WALK_PLAN = ("walk.plan", *WALK_READ_ALL, "walk.join")
# The partners' shared workspace: the map, comments, exports and the weekly picture.
PARTNER = ("map.view", "comment.view", "comment.create", "observation.export", "weekly.view")

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {
            *ADMIN_ACTIONS,
            *READ_ALL,
            *WALK_PLAN,
            *PARTNER,
            "observation.create",
            "observation.review",
            "campaign.manage",
        }
    ),
    "coordinator": frozenset(
        {
            "admin.areas",
            *READ_ALL,
            *WALK_PLAN,
            *PARTNER,
            "observation.create",
            "observation.review",
            "pii.view",
            "campaign.manage",
        }
    ),
    "police": frozenset({*READ_ALL, *WALK_READ_ALL, *PARTNER, "walk.join", "observation.create"}),
    # A reporter works with their own organisation's reports (a housing company's, say).
    "reporter": frozenset(
        {*PARTNER, "observation.create", "observation.view", "walk.view", "walk.join"}
    ),
    # Viewers read aggregated figures only: the map as counts per cell, the weekly picture.
    "viewer": frozenset({"dashboard.view", *WALK_READ_ALL, "map.view", "weekly.view"}),
}
PUBLIC_ACTIONS = frozenset({"observation.create_public"})


# How long after its start a walk stays open to its participants' reports (the outbox may
# send them days later) and visible to reporters in the list.
WALK_OPEN_FOR = timedelta(days=30)


def _same_organisation(user, obj) -> bool:
    return obj.organisation_id == user.organisation_id


def _walk_open(walk) -> bool:
    return walk.status != "installd" and walk.starts_at >= now_utc() - WALK_OPEN_FOR


def _may_join_walk(user, walk) -> bool:
    # Coordinators may add a stop to an older walk (from a paper protocol, say); nobody to a
    # cancelled one.
    planner = "walk.plan" in ROLE_ACTIONS[user.role]
    return walk.status != "installd" and (planner or _walk_open(walk))


def observation_scope(user):
    """Return the SQL condition for the observations ``user`` may see individually."""
    from .observations.models import Observation

    actions = ROLE_ACTIONS.get(user.role, ()) if user.is_authenticated else ()
    if "observation.view_all" in actions:
        return true()
    if "observation.view" in actions:
        return Observation.organisation_id == user.organisation_id
    return false()


def aggregate_scope(user):
    """Return the SQL condition for the observations counted in ``user``'s aggregated figures.

    Viewers read the municipality's figures without seeing single observations; everyone else
    counts what they may see.
    """
    if can(user, "observation.view"):
        return observation_scope(user)
    return true() if can(user, "dashboard.view") else false()


def comment_scope(user):
    """Return the SQL condition for the comments ``user`` may read: shared, or their own org's."""
    from .observations.models import Comment

    return Comment.shared | (Comment.organisation_id == user.organisation_id)


def _comment_visible(user, comment) -> bool:
    return comment.shared or comment.organisation_id == user.organisation_id


# Object rules narrow an action a role has to the objects it may touch.
OBJECT_RULES: dict[str, Callable] = {
    "observation.view": lambda user, obj: (
        "observation.view_all" in ROLE_ACTIONS[user.role] or _same_organisation(user, obj)
    ),
    "walk.view": lambda user, walk: "walk.view_all" in ROLE_ACTIONS[user.role] or _walk_open(walk),
    "walk.join": _may_join_walk,
    "comment.view": _comment_visible,
    # Comments go on observations the user may see.
    "comment.create": lambda user, obj: OBJECT_RULES["observation.view"](user, obj),
}


def can(user, action: str, obj=None) -> bool:
    """Return whether ``user`` (possibly anonymous) may do ``action``, to ``obj`` if given."""
    # current_user is a proxy that looks the user up on every attribute read: once is enough.
    unwrap = getattr(user, "_get_current_object", None)
    user = unwrap() if unwrap else user
    if user is None or not user.is_authenticated:
        return action in PUBLIC_ACTIONS
    if action not in ROLE_ACTIONS.get(user.role, ()):
        return False
    rule = OBJECT_RULES.get(action)
    return obj is None or rule is None or rule(user, obj)


def get_permitted(model, object_id, action: str):
    """Return the object if the current user may ``action`` it; 404 hides the rest."""
    found = db.session.get(model, object_id)
    if found is None or not can(current_user, action, found):
        abort(404)
    return found


def require(action: str):
    """Decorate a view so that it answers only users who may do ``action``."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            user = current_user._get_current_object()
            if not user.is_authenticated:
                return login_manager.unauthorized()
            if not can(user, action):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


def register(app) -> None:
    """Let templates ask ``can("action", obj)`` about the current user."""
    app.jinja_env.globals["can"] = lambda action, obj=None: can(current_user, action, obj)
