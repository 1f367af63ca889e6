"""Who sees what in the shared workspace: role × organisation × action, in code and over HTTP."""

from types import SimpleNamespace

import pytest

from est_pwa.accounts.models import ROLES
from est_pwa.extensions import db
from est_pwa.observations.models import Comment
from est_pwa.permissions import ROLE_ACTIONS, can

from conftest import csrf_token_from

WORKSPACE_ACTIONS = (
    "observation.view",
    "observation.view_all",
    "observation.review",
    "observation.export",
    "comment.view",
    "comment.create",
    "map.view",
    "weekly.view",
    "pii.view",
)
PARTNER = {"observation.export", "comment.view", "comment.create", "map.view", "weekly.view"}
# DESIGN.md and issue 5: coordinators and police see all; viewers the aggregated views and
# reports; reporters their own organisation's; contact details and raw text only coordinators.
ALLOWED = {
    "admin": {"observation.view", "observation.view_all", "observation.review", *PARTNER},
    "coordinator": {
        "observation.view",
        "observation.view_all",
        "observation.review",
        "pii.view",
        *PARTNER,
    },
    "police": {"observation.view", "observation.view_all", *PARTNER},
    "reporter": {"observation.view", *PARTNER},
    "viewer": {"map.view", "weekly.view"},
}
MATRIX = [(r, a, a in ALLOWED[r]) for r in ROLES for a in WORKSPACE_ACTIONS]


def test_the_matrix_covers_every_role():
    assert set(ALLOWED) == set(ROLES) == set(ROLE_ACTIONS)


@pytest.mark.parametrize(("role", "action", "allowed"), MATRIX)
def test_can_answers_the_matrix(role, action, allowed):
    user = SimpleNamespace(is_authenticated=True, role=role, organisation_id=1)
    assert can(user, action) is allowed


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("same_organisation", [True, False], ids=["own", "other"])
def test_commenting_follows_seeing(role, same_organisation):
    user = SimpleNamespace(is_authenticated=True, role=role, organisation_id=1)
    observation = SimpleNamespace(organisation_id=1 if same_organisation else 2)
    expected = "comment.create" in ALLOWED[role] and (
        same_organisation or "observation.view_all" in ALLOWED[role]
    )
    assert can(user, "comment.create", observation) is expected


@pytest.mark.parametrize("role", ["coordinator", "police", "reporter"])
@pytest.mark.parametrize(
    ("shared", "same", "visible"), [(True, False, True), (False, True, True), (False, False, False)]
)
def test_comment_visibility(role, shared, same, visible):
    user = SimpleNamespace(is_authenticated=True, role=role, organisation_id=1)
    comment = SimpleNamespace(shared=shared, organisation_id=1 if same else 2)
    assert can(user, "comment.view", comment) is visible


# Over HTTP: each role with an observation of its own organisation and one of another.
SEES = {"admin": (True, True), "coordinator": (True, True), "police": (True, True)}
SEES |= {"reporter": (True, False), "viewer": (False, False)}


@pytest.fixture
def pair(create_observation, create_organisation):
    """Return a factory of (own, other) observations for a user."""

    def make(user):
        own = create_observation(organisation_id=user.organisation_id, description="Egen")
        elsewhere = create_organisation("Annan AB")
        other = create_observation(organisation=elsewhere, description="Annan")
        return own, other

    return make


@pytest.mark.parametrize("role", ROLES)
def test_pages_and_api_answer_the_matrix(client, login_as, pair, role):
    own, other = pair(login_as(role))
    for observation, visible in zip((own, other), SEES[role], strict=True):
        page = client.get(f"/observationer/{observation.id}").status_code
        api = client.get(f"/api/v1/observations/{observation.id}")
        if role == "viewer":
            assert (page, api.status_code) == (403, 403)
        else:
            assert (page, api.status_code) == ((200, 200) if visible else (404, 404))
        if api.status_code == 200:
            assert api.get_json()["id"] == str(observation.id)


@pytest.mark.parametrize("role", ROLES)
def test_inbox_answers_the_matrix(client, login_as, pair, role):
    own, other = pair(login_as(role))
    response = client.get("/granskning")
    if role == "viewer":
        assert response.status_code == 403
        return
    html = response.get_data(as_text=True)
    assert [str(o.id) in html for o in (own, other)] == list(SEES[role])


@pytest.mark.parametrize("role", ROLES)
def test_export_answers_the_matrix(client, login_as, pair, role):
    own, other = pair(login_as(role))
    response = client.get("/export?format=csv")
    if role == "viewer":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    csv_text = response.get_data().decode("utf-8-sig")
    assert [str(o.id) in csv_text for o in (own, other)] == list(SEES[role])


@pytest.mark.parametrize("role", ROLES)
def test_commenting_over_http_answers_the_matrix(client, login_as, pair, role):
    own, other = pair(login_as(role))
    token = csrf_token_from(client.get("/"))
    for observation, visible in zip((own, other), SEES[role], strict=True):
        data = {"body": "Vi tittar på det", "visibility": "shared", "csrf_token": token}
        status = client.post(f"/observationer/{observation.id}/kommentarer", data=data).status_code
        expected = 403 if role == "viewer" else (302 if visible else 404)
        assert status == expected
    count = db.session.scalar(db.select(db.func.count(Comment.id)))
    assert count == (0 if role == "viewer" else sum(SEES[role]))
