"""Logging in and out, the log-in rate limit, safe ``next`` redirects and CSRF refusal."""

from urllib.parse import quote

import pytest

from est_pwa.accounts.models import Organisation, User
from est_pwa.extensions import db

from conftest import PASSWORD, csrf_token_from


@pytest.fixture(autouse=True)
def english(client):
    """Read the pages in English, so the assertions do not depend on the Swedish catalogue."""
    client.set_cookie("est_lang", "en")


def logged_in(client) -> bool:
    """Return whether the client's session holds a logged-in user."""
    with client.session_transaction() as session:
        return "_user_id" in session


def attempt(client, email: str, password: str, address: str = "127.0.0.1"):
    """Post the log-in form with a fresh CSRF token from ``address``."""
    token = csrf_token_from(client.get("/login"))
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def test_login_page_shows_the_form(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="email"' in html
    assert 'name="password"' in html
    assert 'autocomplete="current-password"' in html


def test_login_logs_the_user_in(client, auth, create_user):
    user = create_user("coordinator")
    response = auth.login(user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert logged_in(client)
    page = client.get("/").get_data(as_text=True)
    assert f"Welcome, {user.name}." in page
    assert 'action="/logout"' in page
    assert db.session.get(User, user.id).last_login_at is not None


def test_login_ignores_case_in_the_email(client, auth, create_user):
    user = create_user("reporter", email="anna.berg@kumla.example")
    response = auth.login("Anna.Berg@Kumla.Example")
    assert response.status_code == 302
    assert logged_in(client)
    assert db.session.get(User, user.id).last_login_at is not None


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("known@kumla.example", "wrong password"),
        ("nobody@kumla.example", PASSWORD),
    ],
)
def test_wrong_email_or_password_is_refused(client, auth, create_user, email, password):
    create_user("admin", email="known@kumla.example")
    response = auth.login(email, password)
    assert response.status_code == 200
    assert "Wrong e-mail or password." in response.get_data(as_text=True)
    assert not logged_in(client)


@pytest.mark.parametrize(
    "data",
    [
        {"email": "", "password": PASSWORD},
        {"email": "not-an-email", "password": PASSWORD},
        {"email": "admin@kumla.example", "password": ""},
    ],
)
def test_incomplete_login_form_is_refused(client, create_user, data):
    create_user("admin", email="admin@kumla.example")
    token = csrf_token_from(client.get("/login"))
    response = client.post("/login", data={**data, "csrf_token": token})
    assert response.status_code == 200
    assert "Check the fields marked below." in response.get_data(as_text=True)
    assert not logged_in(client)


def test_inactive_user_cannot_log_in(client, auth, create_user):
    user = create_user("coordinator")
    user.active = False
    db.session.commit()
    response = auth.login(user.email)
    assert response.status_code == 200
    assert "Wrong e-mail or password." in response.get_data(as_text=True)
    assert not logged_in(client)


def test_deactivated_user_loses_the_session(client, auth, create_user):
    user = create_user("admin")
    auth.login(user.email)
    assert client.get("/admin/anvandare").status_code == 200
    user.active = False
    db.session.commit()
    response = client.get("/admin/anvandare")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_remember_me_sets_a_protected_cookie(client, create_user):
    user = create_user("reporter")
    token = csrf_token_from(client.get("/login"))
    data = {"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token}
    response = client.post("/login", data=data)
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_")]
    assert cookies
    assert "HttpOnly" in cookies[0]
    assert "SameSite=Lax" in cookies[0]


def test_logout_asks_first_and_then_logs_out(client, auth, create_user):
    user = create_user("viewer")
    auth.login(user.email)
    page = client.get("/logout")
    assert page.status_code == 200
    assert logged_in(client), "a GET must not log anyone out"
    response = auth.logout()
    assert response.status_code == 302
    assert not logged_in(client)
    assert "You are logged out." in client.get("/").get_data(as_text=True)


def test_logout_needs_a_login(client):
    response = client.get("/logout")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_without_csrf_token_is_refused(client, auth, create_user):
    user = create_user("viewer")
    auth.login(user.email)
    response = client.post("/logout")
    assert response.status_code == 400
    assert logged_in(client)


def test_sixth_login_in_a_minute_from_one_address_is_refused(client, create_user):
    user = create_user("admin")
    for number in range(5):
        response = attempt(client, f"guess{number}@kumla.example", "wrong password")
        assert response.status_code == 200
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert not logged_in(client)


def test_sixth_login_in_a_minute_to_one_account_is_refused(client, create_user):
    user = create_user("admin")
    for number in range(5):
        response = attempt(client, user.email, "wrong password", address=f"10.0.0.{number}")
        assert response.status_code == 200
    response = attempt(client, user.email.upper(), PASSWORD, address="10.0.1.1")
    assert response.status_code == 429
    assert not logged_in(client)


def test_rate_limit_leaves_other_addresses_and_accounts_alone(client, create_user):
    user = create_user("admin")
    for number in range(5):
        attempt(client, f"guess{number}@kumla.example", "wrong password", address="10.0.0.1")
    assert attempt(client, "x@kumla.example", "x", address="10.0.0.1").status_code == 429
    response = attempt(client, user.email, PASSWORD, address="10.0.0.2")
    assert response.status_code == 302
    assert logged_in(client)


def test_rate_limit_answers_json_to_json_clients(client):
    for number in range(5):
        attempt(client, f"guess{number}@kumla.example", "wrong password")
    token = csrf_token_from(client.get("/login"))
    response = client.post(
        "/login",
        data={"email": "a@kumla.example", "password": "x", "csrf_token": token},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.get_json()["error"]


def test_login_page_can_still_be_read_when_limited(client):
    for number in range(6):
        attempt(client, f"guess{number}@kumla.example", "wrong password")
    assert client.get("/login").status_code == 200


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/admin/omraden/", "/admin/omraden/"),
        ("/admin/anvandare?sida=2", "/admin/anvandare?sida=2"),
        ("/tillganglighet#main", "/tillganglighet#main"),
        ("//evil.example", "/"),
        ("///evil.example", "/"),
        ("https://evil.example", "/"),
        ("http://localhost/admin/", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("JavaScript:alert(1)", "/"),
        ("evil.example", "/"),
        ("admin/anvandare", "/"),
        ("/\t/evil.example", "/"),
        ("/%0d%0aSet-Cookie:x=1", "/%0d%0aSet-Cookie:x=1"),
        ("/\r\nSet-Cookie:x=1", "/"),
        ("", "/"),
    ],
)
def test_next_only_leads_to_this_site(client, auth, create_user, target, expected):
    user = create_user("admin")
    response = auth.login(user.email, next_url=quote(target, safe=""))
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_login_redirect_remembers_the_page_asked_for(client, auth, create_user):
    user = create_user("admin")
    response = client.get("/admin/kategorier/")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/login?next=/admin/kategorier/"
    response = auth.login(user.email, next_url="/admin/kategorier/")
    assert response.headers["Location"] == "/admin/kategorier/"
    assert client.get("/admin/kategorier/").status_code == 200


def test_login_without_csrf_token_is_refused(client, create_user):
    user = create_user("admin")
    client.get("/login")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "not sent from this site" in response.get_data(as_text=True)
    assert not logged_in(client)
    assert db.session.get(User, user.id).last_login_at is None


def test_login_with_a_forged_csrf_token_is_refused(client, create_user):
    user = create_user("admin")
    client.get("/login")
    data = {"email": user.email, "password": PASSWORD, "csrf_token": "forged"}
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert not logged_in(client)


def test_admin_change_without_csrf_token_changes_nothing(client, login_as):
    login_as("admin")
    before = db.session.scalar(db.select(db.func.count()).select_from(Organisation))
    response = client.post(
        "/admin/organisationer/ny", data={"name": "Kumla Bostäder", "kind": "housing_company"}
    )
    assert response.status_code == 400
    assert "not sent from this site" in response.get_data(as_text=True)
    after = db.session.scalar(db.select(db.func.count()).select_from(Organisation))
    assert after == before
    assert db.session.scalar(db.select(Organisation).filter_by(name="Kumla Bostäder")) is None


def test_csrf_refusal_answers_json_to_json_clients(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/organisationer/ny",
        data={"name": "Kumla Bostäder", "kind": "housing_company"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert "not sent from this site" in response.get_json()["error"]


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/anvandare", "/admin/kategorier/", "/admin/omraden/"]
)
def test_anonymous_json_request_gets_401_json(client, path):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.is_json
    assert response.get_json() == {"error": "You need to log in."}


def test_anonymous_browser_is_sent_to_login(client):
    response = client.get("/admin/anvandare", headers={"Accept": "text/html"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/admin/anvandare"
    assert "Log in to continue." in client.get("/login").get_data(as_text=True)
