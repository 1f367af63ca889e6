"""The sync API: idempotent replays, conflicts, validation and the JSON contract."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from shapely.geometry import Point

from est_pwa.categories.seed import ensure_categories
from est_pwa.extensions import db
from est_pwa.observations.models import Observation


@pytest.fixture
def categories(app):
    ensure_categories(db.session)
    db.session.commit()


@pytest.fixture
def api(client, login_as, categories):
    """Log in as a reporter and return a function that posts with a fresh CSRF token."""
    login_as("reporter")

    def post(payload, path="/api/v1/observations", headers=None):
        token = client.get("/api/v1/session").get_json()["csrf_token"]
        return client.post(path, json=payload, headers={"X-CSRFToken": token, **(headers or {})})

    return post


def valid(**changes) -> dict:
    """Return a valid observation as the outbox sends it."""
    occurred = (datetime.now(UTC) - timedelta(hours=1)).astimezone().isoformat()
    return {
        "id": str(uuid.uuid4()),
        "occurred_at": occurred,
        "lat": 59.1277,
        "lon": 15.1434,
        "accuracy_m": 12,
        "category": "SKADEGORELSE_KLOTTER",
        "place_text": "Gångtunneln vid stationen",
        "place_type": "gata_torg",
        "description": "Nytt klotter på tunnelväggen.",
        "persons_count": None,
        "age_group": None,
        "assessment": 2,
        "police_reported": False,
        "walk_id": None,
        **changes,
    }


def stored_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Observation))


def test_session_without_login_has_null_user_and_token(client):
    body = client.get("/api/v1/session").get_json()
    assert body["user"] is None
    assert body["csrf_token"]


def test_session_names_the_user_and_organisation(client, login_as):
    user = login_as("reporter")
    body = client.get("/api/v1/session").get_json()
    assert body["user"]["id"] == user.id
    assert body["user"]["organisation"]["kind"] == "housing_company"


def test_new_observation_is_stored_with_201_and_the_contract_shape(api, create_area):
    area = create_area("Centrum")
    payload = valid()
    response = api(payload)
    assert response.status_code == 201
    body = response.get_json()
    assert body["id"] == payload["id"]
    assert body["status"] == "ny"
    assert body["area"] == {"id": area.id, "name": "Centrum"}
    assert body["photos"] == []
    assert {"created_at", "occurred_at", "category", "walk_id"} <= body.keys()
    observation = db.session.get(Observation, uuid.UUID(payload["id"]))
    assert observation.source == "housing_company"
    assert observation.occurred_at.tzinfo is not None


def test_replay_of_the_same_content_answers_200_and_stores_once(api):
    payload = valid()
    assert api(payload).status_code == 201
    again = api(payload)
    assert again.status_code == 200
    assert again.get_json()["id"] == payload["id"]
    assert stored_count() == 1


def test_same_time_in_another_offset_is_the_same_content(api):
    payload = valid()
    assert api(payload).status_code == 201
    utc_spelling = datetime.fromisoformat(payload["occurred_at"]).astimezone(UTC).isoformat()
    assert api({**payload, "occurred_at": utc_spelling}).status_code == 200


def test_same_id_with_other_content_answers_409_and_keeps_the_first(api):
    payload = valid()
    api(payload)
    response = api({**payload, "description": "Något helt annat."})
    assert response.status_code == 409
    assert "error" in response.get_json()
    stored = db.session.get(Observation, uuid.UUID(payload["id"]))
    db.session.refresh(stored)
    assert stored.description == "Nytt klotter på tunnelväggen."


def test_concurrent_replays_store_one_row(app, api, client):
    payload = valid()
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    cookie = client.get_cookie("session").value
    statuses = []

    def send():
        other = app.test_client()
        other.set_cookie("session", cookie)
        response = other.post("/api/v1/observations", json=payload, headers={"X-CSRFToken": token})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 200, 200, 201]
    assert stored_count() == 1


def test_without_login_the_api_answers_401_json_not_a_redirect(client, categories):
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    response = client.post("/api/v1/observations", json=valid(), headers={"X-CSRFToken": token})
    assert response.status_code == 401
    assert response.is_json and response.get_json()["error"]


def test_without_csrf_token_nothing_is_stored(client, login_as, categories):
    login_as("reporter")
    response = client.post("/api/v1/observations", json=valid())
    assert response.status_code == 400
    assert response.get_json()["code"] == "csrf"
    assert stored_count() == 0


def test_viewer_may_not_send_observations(client, login_as, categories):
    login_as("viewer")
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    response = client.post("/api/v1/observations", json=valid(), headers={"X-CSRFToken": token})
    assert response.status_code == 403


def _future() -> str:
    return (datetime.now(UTC) + timedelta(hours=2)).isoformat()


def _ancient() -> str:
    return (datetime.now(UTC) - timedelta(days=400)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "not-a-uuid"}, "id"),
        ({"id": None}, "id"),
        ({"occurred_at": "igår kväll"}, "occurred_at"),
        ({"occurred_at": "2026-13-45T25:00:00+01:00"}, "occurred_at"),
        ({"occurred_at": _future()}, "occurred_at"),
        ({"occurred_at": _ancient()}, "occurred_at"),
        ({"lat": 59.3293, "lon": 18.0686}, "lat"),
        ({"lat": "north"}, "lat"),
        ({"lat": None, "lon": None}, "lat"),
        ({"lat": 95}, "lat"),
        ({"category": "NOPE"}, "category"),
        ({"category": None}, "category"),
        ({"place_type": "rymden"}, "place_type"),
        ({"age_group": "pensionärer"}, "age_group"),
        ({"assessment": 4}, "assessment"),
        ({"assessment": 0}, "assessment"),
        ({"persons_count": -1}, "persons_count"),
        ({"persons_count": "många"}, "persons_count"),
        ({"description": "x" * 4001}, "description"),
        ({"place_text": "x" * 301}, "place_text"),
        ({"accuracy_m": -5}, "accuracy_m"),
        ({"walk_id": "walk-1"}, "walk_id"),
        ({"area_id": 999}, "area_id"),
    ],
)
def test_invalid_observations_are_refused_with_field_errors(api, changes, field):
    response = api(valid(**changes))
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert field in errors and errors[field][0]
    assert stored_count() == 0


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "{not json"])
def test_a_body_that_is_not_a_json_object_is_refused(client, login_as, categories, body):
    login_as("reporter")
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    response = client.post(
        "/api/v1/observations",
        data=body,
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_deactivated_category_is_refused(api):
    from est_pwa.categories.models import Category

    category = db.session.scalar(db.select(Category).filter_by(code="SKADEGORELSE_KLOTTER"))
    category.active = False
    db.session.commit()
    assert api(valid()).status_code == 400


def test_error_messages_follow_the_language(api, client):
    client.set_cookie("est_lang", "sv")
    swedish = api(valid(lat=59.3293, lon=18.0686)).get_json()["errors"]["lat"][0]
    client.set_cookie("est_lang", "en")
    english = api(valid(lat=59.3293, lon=18.0686)).get_json()["errors"]["lat"][0]
    assert "outside" in english
    assert swedish != english


def test_an_area_instead_of_a_position_uses_a_point_inside_it(api, create_area):
    area = create_area("Centrum")
    response = api(valid(lat=None, lon=None, accuracy_m=None, area_id=area.id))
    assert response.status_code == 201
    body = response.get_json()
    assert body["area"]["id"] == area.id
    assert area.shape.contains(Point(body["lon"], body["lat"]))
    assert body["accuracy_m"] > 100


def test_reporter_sees_own_organisation_observation_but_not_others(client, api, create_user):
    payload = valid()
    api(payload)
    assert client.get(f"/api/v1/observations/{payload['id']}").status_code == 200
    client.post("/logout")  # the session ends either way; the next log-in replaces it
    other = create_user("reporter")
    page = client.get("/login")
    from conftest import PASSWORD, csrf_token_from

    client.post(
        "/login",
        data={"email": other.email, "password": PASSWORD, "csrf_token": csrf_token_from(page)},
    )
    assert client.get(f"/api/v1/observations/{payload['id']}").status_code == 404


def test_categories_are_named_in_the_request_language(client, categories):
    swedish = client.get("/api/v1/categories").get_json()
    client.set_cookie("est_lang", "en")
    english = client.get("/api/v1/categories").get_json()
    assert swedish[0]["code"] == "SKADEGORELSE"
    assert swedish[0]["name"] == "Skadegörelse"
    assert english[0]["name"] == "Vandalism"
    assert {"code", "name"} == swedish[0]["children"][0].keys()


def test_areas_are_geojson(client, create_area):
    create_area("Centrum", prioritised=True)
    body = client.get("/api/v1/areas").get_json()
    assert body["type"] == "FeatureCollection"
    feature = body["features"][0]
    assert feature["properties"]["name"] == "Centrum"
    assert feature["geometry"]["type"] == "Polygon"
