"""The capture page without JavaScript, "Mina rapporter", the manifest and the service worker."""

import io
import re

import pytest
from PIL import Image

from est_pwa.categories.seed import ensure_categories
from est_pwa.extensions import db
from est_pwa.observations.models import Observation

from conftest import csrf_token_from


@pytest.fixture
def categories(app):
    ensure_categories(db.session)
    db.session.commit()


def form_fields(page_html: str) -> dict:
    """Return the hidden id and CSRF token of the capture form."""
    return {
        "id": re.search(r'name="id"[^>]*value="([^"]+)"', page_html).group(1),
        "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page_html).group(1),
    }


def test_capture_page_offers_every_active_category_and_the_privacy_reminder(
    client, login_as, categories
):
    login_as("reporter")
    html = client.get("/rapport/ny").get_data(as_text=True)
    assert 'value="SKADEGORELSE_KLOTTER"' in html
    assert 'value="SAMLING_MOTORBUREN"' in html
    assert 'id="privacy-reminder"' in html


def test_capture_page_posts_without_javascript(client, login_as, categories, create_area):
    area = create_area("Centrum")
    user = login_as("reporter")
    page = client.get("/rapport/ny").get_data(as_text=True)
    photo = io.BytesIO()
    Image.new("RGB", (640, 480), "green").save(photo, "PNG")
    photo.seek(0)
    data = {
        **form_fields(page),
        "occurred_at": "2026-11-27T08:15",
        "area_id": str(area.id),
        "category": "NEDSKRAPNING_FIMPAR",
        "place_text": "Busshållplatsen",
        "description": "Mycket fimpar.",
        "assessment": "1",
        "photos": (photo, "ground.png"),
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(client.application.config, "OBSERVATION_MAX_AGE_DAYS", 100_000)
        response = client.post("/rapport/ny", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, re.findall(r"toast[^>]*>([^<]+)", response.text)
    stored = db.session.scalar(db.select(Observation).filter_by(reporter_id=user.id))
    assert stored.area_id == area.id
    assert stored.occurred_at.hour == 7  # 08:15 in Stockholm in winter is 07:15 UTC
    assert len(stored.photos) == 1


def test_capture_page_shows_errors_and_keeps_the_input(client, login_as, categories):
    login_as("reporter")
    page = client.get("/rapport/ny").get_data(as_text=True)
    data = {**form_fields(page), "occurred_at": "2026-11-27T08:15", "description": "Kvar"}
    response = client.post("/rapport/ny", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "field__error" in html
    assert "Kvar" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Observation)) == 0


def test_my_reports_lists_what_the_user_sent(client, login_as, create_observation):
    user = login_as("reporter")
    create_observation(
        reporter_id=user.id, organisation_id=user.organisation_id, place_text="Torget"
    )
    create_observation(place_text="Någon annans")
    html = client.get("/mina-rapporter").get_data(as_text=True)
    assert "Torget" in html
    assert "Någon annans" not in html


def test_manifest_makes_the_app_installable(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    body = manifest.get_json()
    assert body["display"] == "standalone"
    assert body["lang"] == "sv"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in body["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in body["icons"]:
        with client.get(icon["src"]) as served:
            assert served.status_code == 200


def test_service_worker_lists_the_shell_and_every_file_exists(client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    shell = re.match(r"self\.EST_SHELL = (\{.*?\});\n", response.get_data(as_text=True))
    assert shell
    import json

    listed = json.loads(shell.group(1))
    assert len(listed["version"]) == 16
    for url in listed["files"]:
        with client.get(url) as served:
            assert served.status_code == 200, url


def test_service_worker_version_follows_the_static_files(app, client, tmp_path):
    import shutil

    before = client.get("/sw.js").get_data(as_text=True)
    copy = tmp_path / "static"
    shutil.copytree(app.static_folder, copy)
    app.static_folder = str(copy)
    assert client.get("/sw.js").get_data(as_text=True) == before
    with open(copy / "css" / "est.css", "a") as handle:
        handle.write("\n/* changed */\n")
    assert client.get("/sw.js").get_data(as_text=True) != before


def test_offline_page_needs_no_login(client):
    page = client.get("/offline")
    assert page.status_code == 200
    assert csrf_token_from(page)
