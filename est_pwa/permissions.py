"""The one place that answers "may this user do this (to this object)?"."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import abort
from flask_login import current_user

from .clock import now_utc
from .extensions import db, login_manager

ADMIN_ACTIONS = ("admin.users", "admin.organisations", "admin.categories", "admin.areas")
READ_ALL = ("observation.view", "observation.view_all", "dashboard.view")
# Safety walks: coordinators plan them, whoever reports may join, everyone reads the protocols.
WALK_READ_ALL = ("walk.view", "walk.view_all")
WALK_PLAN = ("walk.plan", *WALK_READ_ALL, "walk.join")

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {
            *ADMIN_ACTIONS,
            *READ_ALL,
            *WALK_PLAN,
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
            "observation.create",
            "observation.review",
            "pii.view",
            "campaign.manage",
        }
    ),
    "police": frozenset(
        {*READ_ALL, *WALK_READ_ALL, "walk.join", "observation.create", "comment.create"}
    ),
    "reporter": frozenset({"observation.create", "observation.view", "walk.view", "walk.join"}),
    "viewer": frozenset({"dashboard.view", *WALK_READ_ALL}),
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


# Object rules narrow an action a role has to the objects it may touch.
OBJECT_RULES: dict[str, Callable] = {
    "observation.view": lambda user, obj: (
        "observation.view_all" in ROLE_ACTIONS[user.role] or _same_organisation(user, obj)
    ),
    "walk.view": lambda user, walk: "walk.view_all" in ROLE_ACTIONS[user.role] or _walk_open(walk),
    "walk.join": _may_join_walk,
}


def can(user, action: str, obj=None) -> bool:
    """Return whether ``user`` (possibly anonymous) may do ``action``, to ``obj`` if given."""
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
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


def register(app) -> None:
    """Let templates ask ``can("action", obj)`` about the current user."""
    app.jinja_env.globals["can"] = lambda action, obj=None: can(current_user, action, obj)
