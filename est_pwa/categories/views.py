"""Admin pages for the category tree."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..permissions import require
from .forms import CategoryForm
from .models import Category
from .service import CategoryError, delete_category, save_category

bp = Blueprint("categories", __name__, url_prefix="/admin/kategorier")

ERRORS = {
    "code taken": _l("Another category already has this code."),
    "not a main category": _l("Choose a main category as parent."),
    "has children": _l("A category with sub-categories must stay a main category."),
    "in use": _l("The category is used and cannot be deleted. Deactivate it instead."),
}


def main_categories() -> list[Category]:
    """Return the main categories in their order."""
    query = db.select(Category).filter_by(parent_id=None).order_by(Category.position, Category.id)
    return db.session.scalars(query).all()


@bp.route("/")
@require("admin.categories")
def index():
    """Show the category tree."""
    return render_template("categories/index.html", mains=main_categories())


@bp.route("/ny", methods=["GET", "POST"], defaults={"category_id": None})
@bp.route("/<int:category_id>", methods=["GET", "POST"])
@require("admin.categories")
def edit(category_id):
    """Create or edit a category."""
    category = db.get_or_404(Category, category_id) if category_id else Category()
    form = CategoryForm(obj=category, parent_id=category.parent_id or 0)
    form.parent_id.choices = [(0, _("— none (main category) —"))] + [
        (main.id, main.name) for main in main_categories() if main.id != category.id
    ]
    if category.id:
        form.code.data = category.code
    if form.validate_on_submit():
        try:
            save_category(
                category,
                code=form.code.data,
                parent_id=form.parent_id.data or None,
                name_sv=form.name_sv.data.strip(),
                name_en=form.name_en.data.strip(),
                position=form.position.data or 0,
                active=form.active.data,
            )
        except CategoryError as error:
            getattr(form, error.field).errors.append(str(ERRORS[str(error)]))
        else:
            db.session.commit()
            flash(_("The category %(code)s was saved.", code=category.code), "success")
            return redirect(url_for(".index"))
    return render_template("categories/form.html", form=form, category=category)


@bp.route("/<int:category_id>/radera", methods=["POST"])
@require("admin.categories")
def delete(category_id):
    """Delete an unused category."""
    category = db.get_or_404(Category, category_id)
    try:
        delete_category(category)
    except CategoryError as error:
        flash(str(ERRORS[str(error)]), "error")
        return redirect(url_for(".edit", category_id=category.id))
    db.session.commit()
    flash(_("The category %(code)s was deleted.", code=category.code), "success")
    return redirect(url_for(".index"))
