"""The permission matrix: every role against every admin action, in code and over HTTP."""

from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from est_pwa.accounts.models import ROLES, Organisation
from est_pwa.areas.models import Area
from est_pwa.categories.models import Category
from est_pwa.extensions import db
from est_pwa.permissions import ADMIN_ACTIONS, ROLE_ACTIONS, can

from conftest import SQUARE, csrf_token_from

# Who may do which admin action (DESIGN.md: coordinators manage areas, the rest is the admin's).
ALLOWED = {
    "admin": set(ADMIN_ACTIONS),
    "coordinator": {"admin.areas"},
    "police": set(),
    "reporter": set(),
    "viewer": set(),
}

# Each admin page and the action it needs.
PAGES = [
    ("/admin/", "admin.areas"),
    ("/admin/anvandare", "admin.users"),
    ("/admin/anvandare/ny", "admin.users"),
    ("/admin/organisationer", "admin.organisations"),
    ("/admin/organisationer/ny", "admin.organisations"),
    ("/admin/kategorier/", "admin.categories"),
    ("/admin/kategorier/ny", "admin.categories"),
    ("/admin/omraden/", "admin.areas"),
    ("/admin/omraden/ny", "admin.areas"),
]

MATRIX = [(role, action, action in ALLOWED[role]) for role in ROLES for action in ADMIN_ACTIONS]
PAGE_MATRIX = [(role, url, action in ALLOWED[role]) for role in ROLES for url, action in PAGES]


def test_the_matrix_covers_every_role_and_admin_action():
    assert set(ALLOWED) == set(ROLES) == set(ROLE_ACTIONS)
    assert set(ADMIN_ACTIONS) == {
        "admin.users",
        "admin.organisations",
        "admin.categories",
        "admin.areas",
    }
    assert {action for _, action in PAGES} == set(ADMIN_ACTIONS)


@pytest.mark.parametrize(("role", "action", "allowed"), MATRIX)
def test_can_answers_the_matrix(role, action, allowed):
    user = SimpleNamespace(is_authenticated=True, role=role, organisation_id=1)
    assert can(user, action) is allowed


@pytest.mark.parametrize("action", ADMIN_ACTIONS)
@pytest.mark.parametrize("user", [None, AnonymousUserMixin()], ids=["none", "anonymous"])
def test_anonymous_may_do_no_admin_action(user, action):
    assert can(user, action) is False


def test_anonymous_may_submit_a_public_observation():
    assert can(AnonymousUserMixin(), "observation.create_public") is True


@pytest.mark.parametrize("action", ADMIN_ACTIONS)
def test_unknown_role_may_do_nothing(action):
    user = SimpleNamespace(is_authenticated=True, role="mayor", organisation_id=1)
    assert can(user, action) is False


@pytest.mark.parametrize(
    ("role", "same_organisation", "allowed"),
    [
        ("reporter", True, True),
        ("reporter", False, False),
        ("coordinator", False, True),
        ("police", False, True),
        ("admin", False, True),
        ("viewer", True, False),
    ],
)
def test_viewing_an_observation_depends_on_role_and_organisation(role, same_organisation, allowed):
    user = SimpleNamespace(is_authenticated=True, role=role, organisation_id=1)
    observation = SimpleNamespace(organisation_id=1 if same_organisation else 2)
    assert can(user, "observation.view", observation) is allowed


@pytest.mark.parametrize(("role", "url", "allowed"), PAGE_MATRIX)
def test_admin_pages_answer_the_matrix(client, login_as, role, url, allowed):
    login_as(role)
    response = client.get(url)
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(("url", "action"), PAGES)
def test_admin_pages_send_anonymous_visitors_to_login(client, url, action):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next={url}"


@pytest.mark.parametrize("role", ROLES)
def test_menu_shows_only_the_admin_pages_the_role_may_open(client, login_as, role):
    login_as(role)
    html = client.get("/").get_data(as_text=True)
    links = {
        "admin.users": 'href="/admin/anvandare"',
        "admin.organisations": 'href="/admin/organisationer"',
        "admin.categories": 'href="/admin/kategorier/"',
        "admin.areas": 'href="/admin/omraden/"',
    }
    for action, link in links.items():
        assert (link in html) is (action in ALLOWED[role]), action


@pytest.fixture
def targets(create_category, create_area, create_user):
    """Return the objects the edit and delete actions are tried on."""
    category = create_category("OVRIGT")
    area = create_area("Centrum", SQUARE)
    user = create_user("reporter")
    return {
        "category": f"/admin/kategorier/{category.id}",
        "area": f"/admin/omraden/{area.id}",
        "user": f"/admin/anvandare/{user.id}",
        "organisation": f"/admin/organisationer/{user.organisation_id}",
    }


@pytest.mark.parametrize(
    ("target", "action"),
    [
        ("category", "admin.categories"),
        ("area", "admin.areas"),
        ("user", "admin.users"),
        ("organisation", "admin.organisations"),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_edit_pages_answer_the_matrix(client, login_as, targets, role, target, action):
    login_as(role)
    response = client.get(targets[target])
    assert response.status_code == (200 if action in ALLOWED[role] else 403)


@pytest.mark.parametrize(
    ("kind", "action"), [("category", "admin.categories"), ("area", "admin.areas")]
)
@pytest.mark.parametrize("role", ROLES)
def test_delete_answers_the_matrix(client, login_as, targets, role, kind, action):
    login_as(role)
    token = csrf_token_from(client.get("/"))
    response = client.post(f"{targets[kind]}/radera", data={"csrf_token": token})
    model = Category if kind == "category" else Area
    remaining = db.session.scalar(db.select(db.func.count()).select_from(model))
    if action in ALLOWED[role]:
        assert response.status_code == 302
        assert remaining == 0
    else:
        assert response.status_code == 403
        assert remaining == 1


@pytest.mark.parametrize("role", ROLES)
def test_area_import_answers_the_matrix(client, login_as, role):
    login_as(role)
    token = csrf_token_from(client.get("/"))
    response = client.post("/admin/omraden/import", data={"csrf_token": token})
    assert response.status_code == (302 if "admin.areas" in ALLOWED[role] else 403)


@pytest.mark.parametrize("role", ROLES)
def test_forbidden_post_changes_nothing(client, login_as, role):
    login_as(role)
    token = csrf_token_from(client.get("/"))
    data = {"name": "Kumla Bostäder", "kind": "housing_company", "csrf_token": token}
    response = client.post("/admin/organisationer/ny", data=data)
    allowed = "admin.organisations" in ALLOWED[role]
    assert response.status_code == (302 if allowed else 403)
    created = db.session.scalar(db.select(Organisation).filter_by(name="Kumla Bostäder"))
    assert (created is not None) is allowed
