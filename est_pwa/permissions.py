"""The one place that answers "may this user do this (to this object)?"."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from .extensions import login_manager

ADMIN_ACTIONS = ("admin.users", "admin.organisations", "admin.categories", "admin.areas")
READ_ALL = ("observation.view", "observation.view_all", "dashboard.view")

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({*ADMIN_ACTIONS, *READ_ALL, "observation.create", "observation.review"}),
    "coordinator": frozenset(
        {"admin.areas", *READ_ALL, "observation.create", "observation.review", "pii.view"}
    ),
    "police": frozenset({*READ_ALL, "observation.create", "comment.create"}),
    "reporter": frozenset({"observation.create", "observation.view"}),
    "viewer": frozenset({"dashboard.view"}),
}
PUBLIC_ACTIONS = frozenset({"observation.create_public"})


def _same_organisation(user, obj) -> bool:
    return obj.organisation_id == user.organisation_id


# Object rules narrow an action a role has to the objects it may touch.
OBJECT_RULES: dict[str, Callable] = {
    "observation.view": lambda user, obj: (
        "observation.view_all" in ROLE_ACTIONS[user.role] or _same_organisation(user, obj)
    ),
}


def can(user, action: str, obj=None) -> bool:
    """Return whether ``user`` (possibly anonymous) may do ``action``, to ``obj`` if given."""
    if user is None or not user.is_authenticated:
        return action in PUBLIC_ACTIONS
    if action not in ROLE_ACTIONS.get(user.role, ()):
        return False
    rule = OBJECT_RULES.get(action)
    return obj is None or rule is None or rule(user, obj)


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
