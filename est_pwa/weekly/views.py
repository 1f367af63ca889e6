"""The weekly picture page (veckans lägesbild): one printable page for the weekly EST meeting."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from ..analysis.weekly import INCREASE_MIN_COUNT, NewPlace, Week, last_complete_week, week_of
from ..clock import now_utc
from ..permissions import can, require
from .forms import WeekForm
from .service import weekly_picture

bp = Blueprint("weekly", __name__, url_prefix="/lagesbild")
MAP_ZOOM = 18  # close enough to see the 100 m cell's block


@bp.route("/vecka")
@require("weekly.view")
def show():
    """Show the weekly picture of the chosen week (by default the last complete one)."""
    now = now_utc()
    form = WeekForm(formdata=request.args)
    form.validate()
    week = form.chosen_week(now)
    return render_template(
        "weekly/show.html",
        form=form,
        week=week,
        current_week=week_of(now),
        default_week=last_complete_week(now),
        picture=weekly_picture(week, current_user),
        own_organisation=own_organisation(current_user),
        printed_at=now,
        increase_min=INCREASE_MIN_COUNT,
        map_url=map_url,
    )


def own_organisation(user):
    """Return the organisation the figures are limited to, or None when they cover everyone."""
    if can(user, "observation.view_all") or not can(user, "observation.view"):
        return None
    return user.organisation


def map_url(week: Week, place: NewPlace) -> str:
    """Return the link to the map of the week's reports, centred on a new place."""
    return url_for(
        "maps.index",
        date_from=week.monday.isoformat(),
        date_to=week.sunday.isoformat(),
        lat=f"{place.lat:.5f}",
        lon=f"{place.lon:.5f}",
        zoom=MAP_ZOOM,
    )
