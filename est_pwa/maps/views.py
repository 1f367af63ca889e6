"""The map page: the observation filter, the map and the list that is its text alternative."""

import shapely
from flask import Blueprint, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..areas.models import Area
from ..extensions import db
from ..permissions import can, require
from ..review.filters import filter_from_request

bp = Blueprint("maps", __name__)


def aggregates_only(user) -> bool:
    """Return whether ``user`` may see the map as counts per cell only (a viewer)."""
    return not can(user, "observation.view")


@bp.get("/karta")
@require("map.view")
def index():
    """Show the observations that match the filter on a map, with a list beside it."""
    form = filter_from_request()
    if aggregates_only(current_user):
        # Counts of a text search in a small cell would tell what single reports say.
        form.q.render_kw = {"disabled": True}
        form.q.description = _l("The map shows counts only, so text search is off.")
    return render_template(
        "maps/index.html",
        form=form,
        aggregates_only=aggregates_only(current_user),
        bounds=start_bounds(),
    )


def start_bounds() -> list[float]:
    """Return where the map starts (south, west, north, east): the areas, else the municipality."""
    shapes = [area.shape for area in db.session.scalars(db.select(Area))]
    if not shapes:
        return current_app.config["MAP_BOUNDS"]
    west, south, east, north = shapely.total_bounds(shapes)
    return [south, west, north, east]


# The JSON routes join this blueprint; importing them here registers them with it.
from . import api  # noqa: E402, F401
