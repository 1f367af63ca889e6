"""The resident's pages (the e-service and the receipt) and the coordinator's campaigns."""

import io
import uuid

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup

from ..areas.models import Area
from ..audit.models import record
from ..clock import now_utc
from ..extensions import db, limiter
from ..observations.models import PUBLIC_SOURCE, Observation
from ..observations.photos import PhotoError
from ..observations.service import PhotoRefused, ReplayConflict, attach_uploads
from ..permissions import require
from .api import PUBLIC_PHOTOS
from .forms import CampaignForm, ModerationForm, PublicObservationForm
from .models import Campaign
from .service import open_campaign, public_limit, record_public_observation, set_moderation

bp = Blueprint("public", __name__)


def _areas():
    return db.session.scalars(db.select(Area).order_by(Area.name)).all()


@bp.route("/trygghetsvandring", methods=["GET", "POST"], defaults={"slug": None})
@bp.route("/trygghetsvandring/<slug>", methods=["GET", "POST"])
@limiter.limit(public_limit, methods=["POST"])
def report(slug):
    """Show the e-service; without JavaScript the form posts here and is stored at once."""
    campaign = open_campaign(slug)
    if slug and campaign is None:
        flash(_("That campaign is not open. You can still report here."), "info")
        return redirect(url_for(".report"))
    form = PublicObservationForm(id=uuid.uuid4(), occurred_at=now_utc(), campaign=slug)
    if form.validate_on_submit() and not form.website.data:
        try:
            observation = _store_posted(form)
        except (ReplayConflict, PhotoError, PhotoRefused):
            db.session.rollback()
            flash(_("The report could not be saved. Check the photo and try again."), "error")
        else:
            db.session.commit()
            flash(
                _("Thank you! Your receipt code is %(code)s.", code=observation.receipt_code),
                "success",
            )
            return redirect(url_for(".status", code=observation.receipt_code))
    return render_template("public/report.html", form=form, campaign=campaign, areas=_areas())


def _store_posted(form) -> Observation:
    observation, _created = record_public_observation(form)
    attach_uploads(observation, request.files.getlist("photos"), PUBLIC_PHOTOS)
    return observation


@bp.route("/trygghetsvandring/status/<code>")
@limiter.limit("30 per minute")
def status(code):
    """Show a submission's status and the municipality's feedback, never personal data."""
    observation = db.session.scalar(
        db.select(Observation).filter_by(receipt_code=code.strip().upper(), source=PUBLIC_SOURCE)
    )
    if observation is None:
        abort(404, _("No report has that receipt code. Check the code and try again."))
    return render_template("public/status.html", observation=observation)


@bp.route("/granskning/allmanheten", methods=["GET", "POST"])
@require("observation.review")
def moderation():
    """List public submissions waiting for review; accept them or mark them as spam."""
    form = ModerationForm()
    if form.validate_on_submit():
        chosen = db.session.scalars(db.select(Observation).where(Observation.id.in_(_uuids(form))))
        changed = set_moderation(chosen, form.action.data)
        db.session.commit()
        flash(_("%(n)s reports updated.", n=changed), "success")
        return redirect(url_for(".moderation"))
    pending = db.session.scalars(
        db.select(Observation)
        .filter_by(source=PUBLIC_SOURCE, moderation="pending")
        .order_by(Observation.created_at)
        .limit(200)
    ).all()
    return render_template("public/moderation.html", form=form, pending=pending)


def _uuids(form) -> list:
    found = []
    for raw in form.ids.data or []:
        try:
            found.append(uuid.UUID(raw))
        except ValueError:
            continue
    return found


@bp.route("/admin/kampanjer")
@require("campaign.manage")
def campaigns():
    """List the campaigns, open ones first."""
    rows = db.session.scalars(db.select(Campaign).order_by(Campaign.starts_on.desc())).all()
    return render_template("public/campaigns.html", campaigns=rows, today=now_utc().date())


@bp.route("/admin/kampanjer/ny", methods=["GET", "POST"], defaults={"campaign_id": None})
@bp.route("/admin/kampanjer/<int:campaign_id>", methods=["GET", "POST"])
@require("campaign.manage")
def edit_campaign(campaign_id):
    """Create or edit a campaign."""
    campaign = db.get_or_404(Campaign, campaign_id) if campaign_id else Campaign()
    form = CampaignForm(obj=campaign, area_id=campaign.area_id or 0)
    form.area_id.choices = [(0, _("— the whole municipality —"))] + [
        (a.id, a.name) for a in _areas()
    ]
    if form.validate_on_submit():
        other = db.session.scalar(db.select(Campaign).filter_by(slug=form.slug.data))
        if other is not None and other.id != campaign.id:
            form.slug.errors.append(_("Another campaign already uses this address."))
        else:
            form.populate_obj(campaign)
            campaign.area_id = form.area_id.data or None
            db.session.add(campaign)
            db.session.flush()
            record("campaign.save", campaign, slug=campaign.slug)
            db.session.commit()
            flash(_("The campaign %(title)s was saved.", title=campaign.title), "success")
            return redirect(url_for(".campaigns"))
    return render_template("public/campaign_form.html", form=form, campaign=campaign)


def qr_svg(link: str) -> Markup:
    """Return an inline SVG QR code for ``link``."""
    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return Markup(svg[svg.index("<svg") :])  # noqa: S704 - our own generated markup


@bp.route("/admin/kampanjer/<int:campaign_id>/affisch")
@require("campaign.manage")
def poster(campaign_id):
    """Show a printable poster with a QR code that opens the campaign's e-service."""
    campaign = db.get_or_404(Campaign, campaign_id)
    link = url_for(".report", slug=campaign.slug, _external=True)
    return render_template("public/poster.html", campaign=campaign, link=link, qr=qr_svg(link))


@bp.route("/admin/kampanjer/<int:campaign_id>/qr.png")
@require("campaign.manage")
def poster_png(campaign_id):
    """Serve the campaign's QR code as a PNG, for other print material."""
    campaign = db.get_or_404(Campaign, campaign_id)
    buffer = io.BytesIO()
    qrcode.make(url_for(".report", slug=campaign.slug, _external=True), box_size=12).save(buffer)
    response = current_app.response_class(buffer.getvalue(), mimetype="image/png")
    response.headers["Content-Disposition"] = f'inline; filename="{campaign.slug}-qr.png"'
    return response
