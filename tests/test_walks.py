"""Organised safety walks: planning, who may do what, linking observations, the protocol."""

import io
import re
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from PIL import Image

from est_pwa.accounts.models import ROLES
from est_pwa.audit.models import AuditEvent
from est_pwa.categories.models import Category
from est_pwa.categories.seed import ensure_categories
from est_pwa.clock import now_utc
from est_pwa.demo.loader import load_demo
from est_pwa.demo.walk import DEMO_WALK_ID
from est_pwa.extensions import db
from est_pwa.observations import photos
from est_pwa.observations.models import Observation, Photo
from est_pwa.permissions import can
from est_pwa.walks.models import DEFAULT_CHECKLIST, SafetyWalk

from conftest import KUMLA, csrf_token_from

ROUTE = [[15.1400, 59.1270], [15.1434, 59.1277], [15.1460, 59.1290]]


@pytest.fixture
def categories(app):
    ensure_categories(db.session)
    db.session.commit()


@pytest.fixture
def create_walk(app):
    """Return a factory of walks that started an hour ago, with the default checklist."""

    def create(**fields) -> SafetyWalk:
        walk = SafetyWalk(
            title=fields.pop("title", "Kvällsvandring i centrum"),
            starts_at=fields.pop("starts_at", now_utc() - timedelta(hours=1)),
            kind=fields.pop("kind", "natt"),
            organisations=fields.pop("organisations", "Kumla kommun\nPolisen"),
            checklist=fields.pop("checklist", [dict(item) for item in DEFAULT_CHECKLIST]),
            notes=fields.pop("notes", ""),
            status=fields.pop("status", "planerad"),
            **fields,
        )
        db.session.add(walk)
        db.session.commit()
        return walk

    return create


def walk_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(SafetyWalk))


def checklist_rows(items, blank: int = 3) -> dict:
    """Return the checklist rows as the plan form posts them, with ``blank`` empty rows after."""
    rows = [*items, *({} for _ in range(blank))]
    data = {}
    for index, item in enumerate(rows):
        for name in ("key", "label_sv", "label_en"):
            data[f"checklist-{index}-{name}"] = item.get(name, "")
        data[f"checklist-{index}-scale"] = item.get("scale", "ok")
    return data


def plan(**changes) -> dict:
    """Return a valid plan of a walk as the form posts it."""
    data = {
        "title": "Nattvandring Kvarntorp",
        "starts_at": "2026-12-03T19:30",
        "kind": "natt",
        "area_id": "",
        "route": "59.127000, 15.140000\n59,1277 15,1434\n59.129, 15.146\n",
        "other_organisations": "Hyresgästföreningen\n\nFritidsgården",
        "participants_count": "14",
        "notes": "",
        "status": "planerad",
        **checklist_rows(DEFAULT_CHECKLIST),
    }
    data.update(changes)
    return data


# --- planning ---


def test_coordinator_plans_a_walk_through_the_form(client, login_as, post_form, create_area):
    area = create_area("Kvarntorp")
    user = login_as("coordinator")
    response = post_form("/vandringar/ny", plan(area_id=str(area.id)))
    assert response.status_code == 302
    walk = db.session.scalar(db.select(SafetyWalk))
    assert response.headers["Location"] == f"/vandringar/{walk.id}"
    assert walk.title == "Nattvandring Kvarntorp"
    # 19:30 in Stockholm in December is 18:30 UTC.
    assert walk.starts_at == datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    assert walk.kind == "natt"
    assert walk.area_id == area.id
    assert walk.route == {
        "type": "LineString",
        "coordinates": [[15.14, 59.127], [15.1434, 59.1277], [15.146, 59.129]],
    }
    assert walk.organisations == "Hyresgästföreningen\nFritidsgården"
    assert walk.participants_count == 14
    assert [item["key"] for item in walk.checklist] == [i["key"] for i in DEFAULT_CHECKLIST]
    assert walk.created_by_id == user.id
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="walk.create"))
    assert event.object_id == str(walk.id)
    assert event.actor_id == user.id


def test_plan_form_starts_with_the_default_checklist(client, login_as):
    login_as("coordinator")
    html = client.get("/vandringar/ny").get_data(as_text=True)
    assert 'name="checklist-0-key" type="hidden" value="belysning"' in html
    assert 'value="Hur känns platsen?"' in html
    assert 'name="checklist-10-label_sv"' in html  # three blank rows for new questions
    assert 'name="checklist-11-label_sv"' not in html


def test_chosen_organisations_and_others_are_stored_together(client, login_as, post_form):
    user = login_as("coordinator")
    data = plan(organisation_names=[user.organisation.name], other_organisations="Polisen\n")
    assert post_form("/vandringar/ny", data).status_code == 302
    walk = db.session.scalar(db.select(SafetyWalk))
    assert walk.organisations == f"{user.organisation.name}\nPolisen"
    html = client.get(f"/vandringar/{walk.id}/andra").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="' + re.escape(user.organisation.name), html)


def test_coordinator_edits_the_checklist_and_the_keys_stay(
    client, login_as, post_form, create_walk
):
    walk = create_walk()
    login_as("coordinator")
    items = [dict(item) for item in DEFAULT_CHECKLIST]
    items[0]["label_sv"] = "Belysning och ljus"
    items[5] = {"key": "trafik"}  # emptied: removed
    new_question = {"label_sv": "Finns det gömställen?", "scale": "ok"}
    data = plan(title=walk.title, status="genomford", **checklist_rows([*items, new_question]))
    response = post_form(f"/vandringar/{walk.id}/andra", data)
    assert response.status_code == 302
    db.session.refresh(walk)
    keys = [item["key"] for item in walk.checklist]
    assert keys == [
        "belysning", "vegetation", "sikt", "skadegorelse", "nedskrapning", "underhall", "kansla",
        "finns_det_gomstallen",
    ]  # fmt: skip
    assert walk.checklist[0]["label_sv"] == "Belysning och ljus"
    assert walk.checklist[-1] == {
        "key": "finns_det_gomstallen",
        "label_sv": "Finns det gömställen?",
        "label_en": "Finns det gömställen?",
        "scale": "ok",
    }
    assert walk.status == "genomford"
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="walk.update"))
    assert {"checklist", "status"} <= set(event.details["changed"])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "This field is required."),
        ({"starts_at": ""}, "starts_at", "This field is required."),
        ({"starts_at": "i morgon"}, "starts_at", "ISO 8601"),
        ({"kind": "kvall"}, "kind", "Not a valid choice."),
        ({"route": "59.127, 15.140\nnorr om skolan"}, "route", "Line 2 is not a point"),
        ({"route": "59.127, 15.140"}, "route", "at least two points"),
        ({"route": "59.127, 15.140\n15.146, 59.129"}, "route", "Point 2 lies outside"),
        ({"area_id": "999"}, "area_id", "Unknown area."),
        ({"participants_count": "-3"}, "participants_count", "between 0 and 10000"),
        ({"status": "klar"}, "status", "Not a valid choice."),
        ({"checklist-8-label_en": "Hiding places"}, "checklist-8-label_sv", "in Swedish"),
        ({"checklist-0-key": "Belysning!"}, "checklist-0-key", "Not a valid question key."),
        ({"checklist-8-key": "belysning", "checklist-8-label_sv": "Ljus"}, "checklist", "same key"),
    ],
)
def test_bad_plans_are_refused_with_a_message(client, login_as, post_form, changes, field, message):
    login_as("coordinator")
    client.set_cookie("est_lang", "en")
    response = post_form("/vandringar/ny", plan(**changes))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    error = re.search(rf'id="{field}-error">(.*?)</p>', html, re.S) or re.search(
        r'class="field__error">(.*?)</p>', html, re.S
    )
    assert error and message in error.group(1), html[html.find("field__error") - 200 :][:800]
    assert walk_count() == 0


@pytest.mark.parametrize("days", [-400, -1, 1, 400])
def test_walks_can_be_planned_in_the_past_or_the_future(client, login_as, post_form, days):
    login_as("coordinator")
    starts = (datetime.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
    assert post_form("/vandringar/ny", plan(starts_at=starts, route="")).status_code == 302
    assert db.session.scalar(db.select(SafetyWalk)).route is None


# --- who may do what ---

WALK_ACTIONS = ("walk.plan", "walk.view", "walk.view_all", "walk.join")
WALK_ALLOWED = {
    "admin": set(WALK_ACTIONS),
    "coordinator": set(WALK_ACTIONS),
    "police": {"walk.view", "walk.view_all", "walk.join"},
    "reporter": {"walk.view", "walk.join"},
    "viewer": {"walk.view", "walk.view_all"},
}


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [(role, action, action in WALK_ALLOWED[role]) for role in ROLES for action in WALK_ACTIONS],
)
def test_walk_actions_follow_the_matrix(role, action, allowed):
    user = SimpleNamespace(is_authenticated=True, role=role, organisation_id=1)
    assert can(user, action) is allowed


def walk_like(days_ago: int, status: str = "planerad"):
    return SimpleNamespace(starts_at=now_utc() - timedelta(days=days_ago), status=status)


@pytest.mark.parametrize(
    ("role", "action", "walk", "allowed"),
    [
        ("reporter", "walk.view", walk_like(-3), True),  # coming
        ("reporter", "walk.view", walk_like(10, "genomford"), True),  # recent
        ("reporter", "walk.view", walk_like(40, "genomford"), False),  # long past
        ("reporter", "walk.view", walk_like(-3, "installd"), False),
        ("viewer", "walk.view", walk_like(400, "genomford"), True),
        ("police", "walk.view", walk_like(-3, "installd"), True),
        ("reporter", "walk.join", walk_like(2), True),
        ("reporter", "walk.join", walk_like(40), False),
        ("police", "walk.join", walk_like(40), False),
        ("coordinator", "walk.join", walk_like(40), True),  # from a paper protocol
        ("coordinator", "walk.join", walk_like(0, "installd"), False),
        ("viewer", "walk.join", walk_like(0), False),
    ],
)
def test_object_rules_for_walks(role, action, walk, allowed):
    user = SimpleNamespace(is_authenticated=True, role=role, organisation_id=1)
    assert can(user, action, walk) is allowed


PAGES = [
    ("/vandringar/", "walk.view"),
    ("/vandringar/ny", "walk.plan"),
    ("/vandringar/{id}", "walk.view"),
    ("/vandringar/{id}/andra", "walk.plan"),
]


@pytest.mark.parametrize(("url", "action"), PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_walk_pages_answer_by_role(client, login_as, create_walk, role, url, action):
    walk = create_walk()
    login_as(role)
    response = client.get(url.format(id=walk.id))
    assert response.status_code == (200 if action in WALK_ALLOWED[role] else 403)


@pytest.mark.parametrize("url", [url for url, _ in PAGES])
def test_walk_pages_send_visitors_to_log_in(client, create_walk, url):
    response = client.get(url.format(id=create_walk().id))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_reporters_see_only_the_walks_they_may_join(client, login_as, create_walk):
    create_walk(title="Kommande", starts_at=now_utc() + timedelta(days=5))
    create_walk(title="Nyligen", starts_at=now_utc() - timedelta(days=3), status="genomford")
    old = create_walk(title="Förra året", starts_at=now_utc() - timedelta(days=300))
    create_walk(title="Inställd", starts_at=now_utc() + timedelta(days=2), status="installd")
    login_as("reporter")
    html = client.get("/vandringar/").get_data(as_text=True)
    assert "Kommande" in html and "Nyligen" in html
    assert "Förra året" not in html and "Inställd" not in html
    assert 'href="/vandringar/ny"' not in html
    assert client.get(f"/vandringar/{old.id}").status_code == 404


def test_coordinators_see_every_walk_and_the_menu_entry(client, login_as, create_walk):
    create_walk(title="Förra året", starts_at=now_utc() - timedelta(days=300))
    create_walk(title="Inställd", status="installd")
    login_as("coordinator")
    html = client.get("/vandringar/").get_data(as_text=True)
    assert "Förra året" in html and "Inställd" in html
    assert 'href="/vandringar/ny"' in html
    assert ">Trygghetsvandringar</a>" in html


# --- linking observations through the sync API ---


@pytest.fixture
def api(client, login_as, categories):
    """Log in as a reporter and return a function that posts with a fresh CSRF token."""
    login_as("reporter")

    def post(payload):
        # Each request in production has a session of its own; here the test's session lives on,
        # and an observation it still holds would meet its own replay in the identity map.
        db.session.expunge_all()
        token = client.get("/api/v1/session").get_json()["csrf_token"]
        return client.post("/api/v1/observations", json=payload, headers={"X-CSRFToken": token})

    return post


def observation(**changes) -> dict:
    """Return a valid observation as the outbox sends it."""
    return {
        "id": str(uuid.uuid4()),
        "occurred_at": (now_utc() - timedelta(minutes=20)).isoformat(),
        "lat": KUMLA[0],
        "lon": KUMLA[1],
        "accuracy_m": 8,
        "category": "OTRYGG_PLATS_BELYSNING",
        "place_text": "Gångvägen bakom skolan",
        "description": "Två lampor trasiga.",
        **changes,
    }


def test_observation_is_linked_to_the_walk_with_its_checklist(api, create_walk):
    walk = create_walk()
    answers = {"belysning": "brist", "vegetation": "bra", "sikt": "ej_bedomt", "kansla": 2}
    payload = observation(walk_id=str(walk.id), checklist=answers)
    response = api(payload)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["walk_id"] == str(walk.id)
    assert body["checklist"] == answers
    stored = db.session.get(Observation, uuid.UUID(payload["id"]))
    assert stored.walk_id == walk.id
    assert stored.checklist == answers


def test_a_rating_sent_as_text_is_stored_as_a_number_and_replays(api, create_walk):
    walk = create_walk()
    payload = observation(walk_id=str(walk.id), checklist={"kansla": "4"})
    assert api(payload).status_code == 201
    assert db.session.get(Observation, uuid.UUID(payload["id"])).checklist == {"kansla": 4}
    assert api({**payload, "checklist": {"kansla": 4}}).status_code == 200


def test_replay_with_the_checklist_answers_200_and_other_answers_409(api, create_walk):
    walk = create_walk()
    payload = observation(walk_id=str(walk.id), checklist={"belysning": "brist"})
    assert api(payload).status_code == 201
    assert api(payload).status_code == 200
    assert api({**payload, "checklist": {"belysning": "bra"}}).status_code == 409
    assert db.session.scalar(db.select(db.func.count()).select_from(Observation)) == 1


def test_an_empty_checklist_is_no_checklist(api, create_walk):
    walk = create_walk()
    payload = observation(walk_id=str(walk.id), checklist={"belysning": None})
    assert api(payload).status_code == 201
    assert db.session.get(Observation, uuid.UUID(payload["id"])).checklist is None


@pytest.mark.parametrize(
    "checklist",
    [
        {"gatubelysning": "bra"},
        {"belysning": "kanske"},
        {"belysning": 1},
        {"kansla": 6},
        {"kansla": 0},
        {"kansla": "2.5"},
        {"kansla": 2.5},
        {"kansla": True},
        {"kansla": "brist"},
        "brist",
        ["belysning", "brist"],
    ],
)
def test_bad_checklist_answers_are_refused_with_field_errors(api, create_walk, checklist):
    walk = create_walk()
    response = api(observation(walk_id=str(walk.id), checklist=checklist))
    assert response.status_code == 400
    assert response.get_json()["errors"]["checklist"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Observation)) == 0


def test_checklist_answers_without_a_walk_are_refused(api):
    response = api(observation(checklist={"belysning": "brist"}))
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == ["checklist"]


@pytest.mark.parametrize(
    ("walk_id", "status"), [(str(uuid.uuid4()), None), ("inte-ett-id", None), (None, "installd")]
)
def test_unknown_or_closed_walks_are_refused(api, create_walk, walk_id, status):
    if status:
        walk_id = str(create_walk(status=status).id)
    response = api(observation(walk_id=walk_id, checklist={"belysning": "brist"}))
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert list(errors) == ["walk_id"]


def test_a_reporter_cannot_join_a_walk_long_past(api, create_walk):
    walk = create_walk(starts_at=now_utc() - timedelta(days=45), status="genomford")
    response = api(observation(walk_id=str(walk.id)))
    assert response.status_code == 400
    assert "walk_id" in response.get_json()["errors"]


# --- the capture page on a walk ---


def test_capture_page_for_a_walk_shows_the_banner_and_the_checklist(
    client, login_as, categories, create_walk
):
    walk = create_walk(title="Vandring runt Folkets park")
    login_as("reporter")
    html = client.get(f"/rapport/ny?vandring={walk.id}").get_data(as_text=True)
    assert "Trygghetsvandring: Vandring runt Folkets park" in html
    assert re.search(rf'name="walk_id" type="hidden" value="{walk.id}"', html)
    for value in ("bra", "brist", "ej_bedomt"):
        assert f'name="checklist-belysning" value="{value}"' in html
    assert ">Brist</span>" in html and ">Ej bedömt</span>" in html
    for value in range(1, 6):
        assert f'name="checklist-kansla" value="{value}"' in html
    assert "Hur känns platsen?" in html


def test_capture_page_without_a_walk_has_no_checklist(client, login_as, categories):
    login_as("reporter")
    html = client.get("/rapport/ny").get_data(as_text=True)
    assert "checklist-" not in html
    assert "data-walk-notice" not in html


@pytest.mark.parametrize("status", ["installd", None])
def test_capture_page_says_when_the_walk_cannot_be_joined(
    client, login_as, categories, create_walk, status
):
    walk_id = create_walk(status=status).id if status else uuid.uuid4()
    login_as("reporter")
    html = client.get(f"/rapport/ny?vandring={walk_id}").get_data(as_text=True)
    assert "tar inte emot fler rapporter" in html
    assert 'name="walk_id" type="hidden" value=""' in html
    assert "checklist-belysning" not in html


def capture_form_data(client, url, walk, answers: dict) -> dict:
    """Return what the capture page posts without JavaScript for a stop on ``walk``."""
    page = client.get(url).get_data(as_text=True)
    return {
        "id": re.search(r'name="id"[^>]*value="([^"]+)"', page).group(1),
        "csrf_token": csrf_token_from(client.get(url)),
        "walk_id": str(walk.id),
        "occurred_at": (datetime.now() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "lat": str(KUMLA[0]),
        "lon": str(KUMLA[1]),
        "category": "OTRYGG_PLATS_VEGETATION",
        **{f"checklist-{key}": value for key, value in answers.items()},
    }


def test_capture_page_posts_the_checklist_without_javascript(
    client, login_as, categories, create_walk
):
    walk = create_walk()
    login_as("reporter")
    url = f"/rapport/ny?vandring={walk.id}"
    answers = {"belysning": "brist", "vegetation": "brist", "kansla": "2"}
    data = capture_form_data(client, url, walk, answers)
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == url  # on to the next stop
    stored = db.session.get(Observation, uuid.UUID(data["id"]))
    assert stored.walk_id == walk.id
    assert stored.checklist == {"belysning": "brist", "vegetation": "brist", "kansla": 2}


def test_capture_page_shows_a_bad_checklist_answer_and_keeps_the_others(
    client, login_as, categories, create_walk
):
    walk = create_walk()
    login_as("reporter")
    url = f"/rapport/ny?vandring={walk.id}"
    data = capture_form_data(client, url, walk, {"belysning": "brist", "kansla": "9"})
    html = client.post(url, data=data).get_data(as_text=True)
    assert 'id="checklist-error"' in html
    assert re.search(r'name="checklist-belysning" value="brist"[^>]*\s+checked', html)
    assert db.session.scalar(db.select(db.func.count()).select_from(Observation)) == 0


# --- the protocol ---


@pytest.fixture
def walked(create_walk, create_observation, categories, create_user):
    """Return a walk with a route and three stops, one with a photo, one by another organisation."""
    walk = create_walk(
        title="Nattvandring Kvarntorp",
        route={"type": "LineString", "coordinates": ROUTE},
        participants_count=12,
        status="genomford",
        notes="Samling vid biblioteket.",
    )
    reporter = create_user("reporter")

    def category(code):
        return db.session.scalar(db.select(Category).filter_by(code=code))

    stops = [
        ("OTRYGG_PLATS_BELYSNING", "Gångtunneln", {"belysning": "brist", "kansla": 2}),
        ("OTRYGG_PLATS_VEGETATION", "Parkstigen", {"belysning": "brist", "vegetation": "brist"}),
        ("NEDSKRAPNING_FIMPAR", "Busshållplatsen", {"belysning": "bra", "kansla": 3}),
    ]
    made = []
    for minutes, (code, place, answers) in enumerate(stops):
        made.append(
            create_observation(
                category(code),
                occurred_at=now_utc() - timedelta(minutes=50 - 10 * minutes),
                place_text=place,
                checklist=answers,
                walk_id=walk.id,
                reporter_id=reporter.id,
                organisation_id=reporter.organisation_id if minutes < 2 else None,
            )
        )
    image = io.BytesIO()
    Image.new("RGB", (400, 300), "orange").save(image, "JPEG")
    processed = photos.process(image.getvalue())
    db.session.add(
        Photo(
            observation_id=made[0].id,
            width=processed.width,
            height=processed.height,
            data=processed.jpeg,
            thumbnail=processed.thumbnail,
            sha256=processed.sha256,
            source_sha256=processed.sha256,
        )
    )
    db.session.commit()
    return SimpleNamespace(walk=walk, stops=made, reporter=reporter)


def test_protocol_shows_the_stops_counts_and_checklist_summary(client, login_as, walked):
    login_as("coordinator")
    response = client.get(f"/vandringar/{walked.walk.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Nattvandring Kvarntorp" in html
    assert "Samling vid biblioteket." in html
    assert "Kumla kommun" in html and "Polisen" in html
    for place in ("Gångtunneln", "Parkstigen", "Busshållplatsen"):
        assert place in html
    assert html.index("Gångtunneln") < html.index("Parkstigen") < html.index("Busshållplatsen")
    assert 'id="stop-3"' in html
    # Counts per main category: two "Otrygg plats", one "Nedskräpning".
    assert re.search(r"<td>Otrygg plats</td><td class=\"num\">2</td>", html)
    assert re.search(r"<td>Nedskräpning</td><td class=\"num\">1</td>", html)
    # Belysning: two "brist", one "bra"; känsla on average 2,5 (Swedish decimal comma).
    belysning = re.search(r'<th scope="row">Belysning</th>(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">(?:<strong>)?(\d+)', belysning) == ["2", "1", "0"]
    assert re.search(r"Hur känns platsen\?</th>.*?2,5 <small>\(2 svar\)", html, re.S)
    photo = walked.stops[0].photos[0]
    thumb = f"/observationer/{walked.stops[0].id}/foton/{photo.id}?size=thumb"
    assert thumb in html
    assert client.get(thumb).status_code == 200
    assert "data-print hidden" in html and "js/print.js" in html
    assert "data-route=" in html and "15.1434" in html


def test_protocol_counts_but_hides_stops_of_other_organisations(client, auth, walked):
    auth.login(walked.reporter.email)
    html = client.get(f"/vandringar/{walked.walk.id}").get_data(as_text=True)
    assert "Gångtunneln" in html and "Parkstigen" in html
    assert "Busshållplatsen" not in html
    assert "1 stopp som en annan organisation rapporterade" in html
    assert "Rapportera på vandringen" in html
    assert re.search(r"<td>Nedskräpning</td><td class=\"num\">1</td>", html)


def test_viewer_reads_the_summary_without_the_stops(client, login_as, walked):
    login_as("viewer")
    html = client.get(f"/vandringar/{walked.walk.id}").get_data(as_text=True)
    assert "Gångtunneln" not in html
    assert re.search(r"<td>Otrygg plats</td><td class=\"num\">2</td>", html)
    assert "Rapportera på vandringen" not in html
    assert f'href="/vandringar/{walked.walk.id}/andra"' not in html


def test_empty_walk_has_no_map_and_says_so(client, login_as, create_walk):
    walk = create_walk()
    login_as("coordinator")
    html = client.get(f"/vandringar/{walk.id}").get_data(as_text=True)
    assert 'id="walk-map"' not in html
    assert "Ingen rutt har ritats" in html
    assert f'href="/rapport/ny?vandring={walk.id}"' in html


def test_the_protocol_is_in_english_on_request(client, login_as, walked):
    login_as("coordinator")
    client.set_cookie("est_lang", "en")
    html = client.get(f"/vandringar/{walked.walk.id}").get_data(as_text=True)
    assert "How does the place feel?" in html
    assert "Print the protocol" in html
    assert ">Deficient</span>" in html


# --- the demo ---


def test_demo_walk_is_loaded_once_with_its_stops(app):
    first = load_demo()
    db.session.commit()
    again = load_demo()
    assert (first.added["safety walks"], again.added["safety walks"]) == (1, 0)
    walk = db.session.get(SafetyWalk, DEMO_WALK_ID)
    assert walk.status == "genomford" and walk.kind == "natt"
    assert walk.starts_at < now_utc()
    stops = db.session.scalars(db.select(Observation).filter_by(walk_id=walk.id)).all()
    assert len(stops) == 6
    assert all(stop.checklist and stop.area == walk.area for stop in stops)
