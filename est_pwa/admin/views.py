"""Admin pages for users and organisations."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Organisation, User
from ..extensions import db
from ..permissions import require
from .forms import OrganisationForm, UserForm
from .service import Conflict, save_organisation, save_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@require("admin.areas")
def index():
    """Show the admin sections the user may open."""
    return render_template("admin/index.html")


@bp.route("/organisationer")
@require("admin.organisations")
def organisations():
    """List the organisations."""
    rows = db.session.scalars(db.select(Organisation).order_by(Organisation.name)).all()
    return render_template("admin/organisations.html", organisations=rows)


@bp.route("/organisationer/ny", methods=["GET", "POST"], defaults={"organisation_id": None})
@bp.route("/organisationer/<int:organisation_id>", methods=["GET", "POST"])
@require("admin.organisations")
def edit_organisation(organisation_id):
    """Create or edit an organisation."""
    organisation = (
        db.get_or_404(Organisation, organisation_id) if organisation_id else Organisation()
    )
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            save_organisation(
                organisation, form.name.data.strip(), form.kind.data, form.active.data
            )
        except Conflict:
            form.name.errors.append(_("Another organisation already has this name."))
        else:
            db.session.commit()
            flash(_("The organisation %(name)s was saved.", name=organisation.name), "success")
            return redirect(url_for(".organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=organisation)


@bp.route("/anvandare")
@require("admin.users")
def users():
    """List the users with their roles and organisations."""
    rows = db.session.scalars(db.select(User).order_by(User.name)).all()
    return render_template("admin/users.html", users=rows)


def _user_form(user: User) -> UserForm:
    form = UserForm(obj=user)
    organisations = db.session.scalars(db.select(Organisation).order_by(Organisation.name))
    form.organisation_id.choices = [(o.id, o.name) for o in organisations]
    return form


def _locks_out_self(user: User, form: UserForm) -> bool:
    return user.id == current_user.id and (form.role.data != "admin" or not form.active.data)


@bp.route("/anvandare/ny", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/anvandare/<int:user_id>", methods=["GET", "POST"])
@require("admin.users")
def edit_user(user_id):
    """Create or edit a user account."""
    user = db.get_or_404(User, user_id) if user_id else User()
    form = _user_form(user)
    if form.validate_on_submit():
        if user.id is None and not form.password.data:
            form.password.errors.append(_("A new account needs a password."))
        elif _locks_out_self(user, form):
            form.role.errors.append(_("You cannot remove your own administrator rights."))
        else:
            try:
                save_user(
                    user,
                    email=form.email.data,
                    password=form.password.data,
                    name=form.name.data.strip(),
                    role=form.role.data,
                    organisation_id=form.organisation_id.data,
                    active=form.active.data,
                )
            except Conflict:
                form.email.errors.append(_("Another account already uses this e-mail."))
            else:
                db.session.commit()
                flash(_("The account %(email)s was saved.", email=user.email), "success")
                return redirect(url_for(".users"))
    return render_template("admin/user_form.html", form=form, user=user)
