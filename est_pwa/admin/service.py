"""Mutations of users and organisations, each audited; they flush, the view commits."""

from ..accounts.models import Organisation, User
from ..audit.models import record
from ..extensions import db


class Conflict(ValueError):
    """A change that would break a uniqueness rule, with the field it concerns."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _taken(model, column, value, own_id) -> bool:
    other = db.session.scalar(db.select(model).where(column == value))
    return other is not None and other.id != own_id


def save_organisation(organisation: Organisation, name: str, kind: str, active: bool):
    """Create or update ``organisation`` unless another one has the name."""
    if _taken(Organisation, Organisation.name, name, organisation.id):
        raise Conflict("name", "name taken")
    creating = organisation.id is None
    organisation.name, organisation.kind, organisation.active = name, kind, active
    db.session.add(organisation)
    db.session.flush()
    action = "organisation.create" if creating else "organisation.update"
    record(action, organisation, name=name, kind=kind, active=active)
    return organisation


def save_user(user: User, *, email: str, password: str | None, **fields) -> User:
    """Create or update ``user`` unless another account has the e-mail."""
    email = email.strip().lower()
    if _taken(User, User.email, email, user.id):
        raise Conflict("email", "email taken")
    creating = user.id is None
    user.email = email
    for name, value in fields.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    changed = {**fields, "password_changed": bool(password)}
    record("user.create" if creating else "user.update", user, email=email, **changed)
    return user


def ensure_organisation(name: str, kind: str = "municipal_unit") -> tuple[Organisation, bool]:
    """Return the organisation called ``name``, creating it when missing (and say which)."""
    found = db.session.scalar(db.select(Organisation).filter_by(name=name))
    if found:
        return found, False
    return save_organisation(Organisation(), name, kind, True), True
