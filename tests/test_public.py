"""The citizens' e-service: submissions, receipts, abuse protection, moderation, campaigns."""

import io
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import zxingcpp
from PIL import Image

from est_pwa.categories.seed import ensure_categories
from est_pwa.extensions import db
from est_pwa.observations.models import Observation, counted
from est_pwa.public.models import Campaign

from conftest import csrf_token_from


@pytest.fixture
def categories(app):
    ensure_categories(db.session)
    db.session.commit()


@pytest.fixture
def submit(client, categories):
    """Return a function that posts a public observation as the outbox does."""

    def post(payload):
        token = client.get("/api/v1/session").get_json()["csrf_token"]
        return client.post(
            "/api/v1/public/observations", json=payload, headers={"X-CSRFToken": token}
        )

    return post


def public(**changes) -> dict:
    """Return a valid public submission."""
    return {
        "id": str(uuid.uuid4()),
        "occurred_at": datetime.now(UTC).isoformat(),
        "lat": 59.1277,
        "lon": 15.1434,
        "topic": "belysning",
        "feeling": "otrygg",
        "time_of_day": "kväll",
        "description": "Gångvägen är helt mörk efter klockan sex.",
        "contact_email": None,
        **changes,
    }


def count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Observation))


def test_the_e_service_page_tells_what_happens_and_where_to_call(client, categories):
    client.set_cookie("est_lang", "sv")
    html = client.get("/trygghetsvandring").get_data(as_text=True)
    assert "ring 112" in html
    assert "polisanmälan" in html
    assert 'name="website"' in html
    assert 'value="belysning"' in html


def test_a_submission_gets_a_receipt_and_waits_for_review(submit, client):
    payload = public(contact_email="Boende@Example.se")
    response = submit(payload)
    assert response.status_code == 201
    body = response.get_json()
    assert body["id"] == payload["id"]
    assert len(body["receipt_code"]) == 8
    assert body["status_url"].endswith(body["receipt_code"])
    stored = db.session.get(Observation, uuid.UUID(payload["id"]))
    assert (stored.source, stored.moderation, stored.reporter_id) == ("public", "pending", None)
    assert stored.category.code == "OTRYGG_PLATS_BELYSNING"
    assert stored.time_of_day == "kväll"
    assert stored.contact_email == "boende@example.se"


def test_a_replay_returns_the_same_receipt_and_stores_once(submit):
    payload = public()
    first = submit(payload).get_json()
    again = submit(payload)
    assert again.status_code == 200
    assert again.get_json()["receipt_code"] == first["receipt_code"]
    assert count() == 1


def test_same_id_with_other_content_is_a_conflict(submit):
    payload = public()
    submit(payload)
    assert submit({**payload, "feeling": "trygg"}).status_code == 409


def test_the_honeypot_stores_nothing_but_looks_like_success(submit):
    response = submit(public(website="http://spam.example"))
    assert response.status_code == 201
    assert response.get_json()["receipt_code"]
    assert count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"feeling": None}, "feeling"),
        ({"feeling": "rädd"}, "feeling"),
        ({"topic": "ufo"}, "topic"),
        ({"time_of_day": "gryning"}, "time_of_day"),
        ({"contact_email": "inte en adress"}, "contact_email"),
        ({"lat": None, "lon": None}, "lat"),
        ({"lat": 59.33, "lon": 18.06}, "lat"),
        ({"description": "x" * 4001}, "description"),
        ({"occurred_at": "i går"}, "occurred_at"),
    ],
)
def test_invalid_submissions_are_refused(submit, changes, field):
    response = submit(public(**changes))
    assert response.status_code == 400
    assert field in response.get_json()["errors"]
    assert count() == 0


def test_public_submissions_are_rate_limited(app, submit):
    app.config["RATELIMIT_PUBLIC"] = "3 per minute"
    statuses = [submit(public()).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    assert count() == 3


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


def put_photo(client, observation_id, photo_id=None):
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    url = f"/api/v1/public/observations/{observation_id}/photos/{photo_id or uuid.uuid4()}"
    return client.put(url, data=jpeg(), headers={"X-CSRFToken": token})


def test_a_fresh_public_submission_takes_a_photo_once(client, submit):
    payload = public()
    submit(payload)
    photo_id = uuid.uuid4()
    assert put_photo(client, payload["id"], photo_id).status_code == 201
    assert put_photo(client, payload["id"], photo_id).status_code == 200
    assert len(db.session.get(Observation, uuid.UUID(payload["id"])).photos) == 1


def test_old_or_staff_observations_take_no_public_photos(client, submit, create_observation):
    payload = public()
    submit(payload)
    stored = db.session.get(Observation, uuid.UUID(payload["id"]))
    stored.created_at = datetime.now(UTC) - timedelta(days=3)
    db.session.commit()
    assert put_photo(client, payload["id"]).status_code == 404
    staff = create_observation()
    assert put_photo(client, staff.id).status_code == 404


def test_the_receipt_page_shows_status_and_feedback_but_no_personal_data(client, submit):
    body = submit(public(contact_email="boende@example.se")).get_json()
    stored = db.session.get(Observation, uuid.UUID(body["id"]))
    stored.moderation, stored.status = "accepted", "atgard_planerad"
    stored.feedback = "Belysningen byts ut vecka 50. Ring 070-123 45 67 vid frågor."
    db.session.commit()
    client.set_cookie("est_lang", "sv")
    html = client.get(body["status_url"]).get_data(as_text=True)
    assert "Åtgärd planerad" in html
    assert "Belysningen byts ut vecka 50" in html
    assert "boende@example.se" not in html
    assert "helt mörk" not in html
    assert "070-123 45 67" not in html and "[telefon]" in html


def test_an_unknown_receipt_code_says_so(client):
    client.set_cookie("est_lang", "en")
    response = client.get("/trygghetsvandring/status/ABCDEFGH")
    assert response.status_code == 404
    assert "receipt code" in response.get_data(as_text=True)


def test_the_form_works_without_javascript(client, categories):
    page = client.get("/trygghetsvandring")
    data = {
        "csrf_token": csrf_token_from(page),
        "id": str(uuid.uuid4()),
        "occurred_at": datetime.now(UTC).isoformat(),
        "lat": "59.1277",
        "lon": "15.1434",
        "topic": "nedskrapning",
        "feeling": "otrygg",
        "description": "Glas överallt.",
    }
    response = client.post("/trygghetsvandring", data=data)
    assert response.status_code == 302
    assert "/trygghetsvandring/status/" in response.headers["Location"]
    assert count() == 1


def test_pending_submissions_stay_out_of_the_figures_until_accepted(
    client, submit, login_as, create_observation
):
    body = submit(public()).get_json()
    create_observation(status="ny")
    login_as("coordinator")
    client.set_cookie("est_lang", "en")
    counted_rows = db.select(db.func.count()).select_from(Observation).where(counted())
    assert db.session.scalar(counted_rows) == 1
    page = client.get("/granskning/allmanheten")
    assert body["id"] in page.get_data(as_text=True)
    token = csrf_token_from(page)
    response = client.post(
        "/granskning/allmanheten",
        data={"csrf_token": token, "ids": [body["id"]], "action": "accepted"},
    )
    assert response.status_code == 302
    assert db.session.get(Observation, uuid.UUID(body["id"])).moderation == "accepted"


def test_a_coordinator_marks_spam(client, submit, login_as):
    body = submit(public()).get_json()
    login_as("coordinator")
    token = csrf_token_from(client.get("/granskning/allmanheten"))
    client.post(
        "/granskning/allmanheten", data={"csrf_token": token, "ids": [body["id"]], "action": "spam"}
    )
    assert db.session.get(Observation, uuid.UUID(body["id"])).moderation == "spam"


@pytest.mark.parametrize(("role", "status"), [("reporter", 403), ("viewer", 403), ("police", 403)])
def test_only_coordinators_moderate(client, login_as, role, status):
    login_as(role)
    assert client.get("/granskning/allmanheten").status_code == status


def test_a_campaign_opens_the_e_service_with_its_intro_and_a_qr_poster(
    client, login_as, categories, create_area, post_form
):
    area = create_area("Kvarnparken")
    login_as("coordinator")
    today = date.today()
    response = post_form(
        "/admin/kampanjer/ny",
        {
            "title": "Hösten 2026: Kvarnparken",
            "slug": "hosten-2026-kvarnparken",
            "intro": "Hur upplever du Kvarnparken efter mörkrets inbrott?",
            "area_id": str(area.id),
            "starts_on": (today - timedelta(days=1)).isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    campaign = db.session.scalar(db.select(Campaign))
    page = client.get("/trygghetsvandring/hosten-2026-kvarnparken").get_data(as_text=True)
    assert "efter mörkrets inbrott" in page
    poster = client.get(f"/admin/kampanjer/{campaign.id}/qr.png")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(poster.data)).convert("L"))
    assert [code.text for code in decoded] == [
        "http://localhost/trygghetsvandring/hosten-2026-kvarnparken"
    ]
    assert "<svg" in client.get(f"/admin/kampanjer/{campaign.id}/affisch").get_data(as_text=True)


def test_a_closed_campaign_sends_residents_to_the_ordinary_form(client, categories):
    db.session.add(
        Campaign(
            slug="varen-2020",
            title="Våren 2020",
            starts_on=date(2020, 3, 1),
            ends_on=date(2020, 5, 31),
        )
    )
    db.session.commit()
    response = client.get("/trygghetsvandring/varen-2020")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/trygghetsvandring")


@pytest.mark.parametrize(
    ("payload", "kinds"),
    [
        ({"text": "Killen med nummer 070-123 45 67 var där"}, ["telefon"]),
        ({"text": "Mörkt vid busshållplatsen"}, []),
    ],
)
def test_the_privacy_check_names_what_it_found(client, payload, kinds):
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    body = client.post("/api/v1/privacy/check", json=payload, headers={"X-CSRFToken": token})
    assert body.get_json()["kinds"] == kinds
    assert bool(body.get_json()["warning"]) == bool(kinds)


def test_free_text_is_masked_for_all_but_coordinators(client, login_as, create_observation, auth):
    reporter = login_as("reporter")
    observation = create_observation(
        reporter_id=reporter.id,
        organisation_id=reporter.organisation_id,
        description="Bil ABC 123 stod på gräset, ring 070-123 45 67.",
    )
    seen = client.get(f"/api/v1/observations/{observation.id}").get_json()["description"]
    assert seen == "Bil [registreringsnummer] stod på gräset, ring [telefon]."
    auth.logout()
    login_as("coordinator")
    raw = client.get(f"/api/v1/observations/{observation.id}").get_json()["description"]
    assert "ABC 123" in raw
