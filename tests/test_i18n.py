"""Swedish by default, English on request; Swedish dates (Stockholm time) and numbers."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from est_pwa.app import create_app
from est_pwa.extensions import db
from est_pwa.i18n import date_filter, datetime_filter, number_filter

from conftest import app_settings, csrf_token_from


@pytest.fixture
def web(tmp_path):
    """Return an app without a pushed app context, so each request chooses its language anew.

    The pages used here read nothing from the database.
    """
    app = create_app(app_settings(f"sqlite:///{tmp_path / 'unused.sqlite3'}"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def browser(web):
    return web.test_client()


def switch_language(browser, language: str, next_url: str = "/"):
    token = csrf_token_from(browser.get(next_url))
    data = {"language": language, "next": next_url, "csrf_token": token}
    return browser.post("/sprak", data=data)


def text(response) -> str:
    return response.get_data(as_text=True)


def test_base_layout_is_swedish_by_default(browser):
    html = text(browser.get("/"))
    assert '<html lang="sv"' in html
    assert 'name="language" value="en" lang="en">In English</button>' in html
    assert "På svenska" not in html
    assert "– EST Kumla kommun</title>" in html
    assert "Hoppa till innehållet" in html
    assert "Effektiv Samordning för Trygghet" in html


def test_switch_to_english(browser):
    response = switch_language(browser, "en", "/tillganglighet")
    assert response.status_code == 302
    assert response.headers["Location"] == "/tillganglighet"
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("est_lang=")]
    assert cookie.startswith("est_lang=en;")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie
    html = text(browser.get("/"))
    assert '<html lang="en"' in html
    assert 'name="language" value="sv" lang="sv">På svenska</button>' in html
    assert "In English" not in html
    assert "Skip to content" in html
    assert "Hoppa till innehållet" not in html
    assert "Accessibility statement" in html
    assert "Log in" in html


def test_switch_back_to_swedish(browser):
    switch_language(browser, "en")
    assert '<html lang="en"' in text(browser.get("/"))
    switch_language(browser, "sv")
    html = text(browser.get("/"))
    assert '<html lang="sv"' in html
    assert "In English" in html


@pytest.mark.parametrize("language", ["de", "", "EN", "sv_SE"])
def test_unknown_language_falls_back_to_swedish(browser, language):
    switch_language(browser, language)
    assert '<html lang="sv"' in text(browser.get("/"))


@pytest.mark.parametrize("cookie", ["de", "../en", ""])
def test_unknown_language_cookie_gives_swedish(browser, cookie):
    browser.set_cookie("est_lang", cookie)
    assert '<html lang="sv"' in text(browser.get("/"))


@pytest.mark.parametrize("next_url", ["//evil.example", "https://evil.example", "/\\evil"])
def test_language_switch_stays_on_this_site(browser, next_url):
    token = csrf_token_from(browser.get("/"))
    data = {"language": "en", "next": next_url, "csrf_token": token}
    response = browser.post("/sprak", data=data)
    assert response.headers["Location"] == "/"


def test_language_switch_needs_a_csrf_token(browser):
    response = browser.post("/sprak", data={"language": "en"})
    assert response.status_code == 400
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("est_lang=")]
    assert '<html lang="sv"' in text(browser.get("/"))


def test_every_page_carries_the_switch_back_to_itself(browser):
    html = text(browser.get("/login"))
    assert '<input type="hidden" name="next" value="/login">' in html


def test_error_pages_follow_the_language(browser):
    response = browser.get("/no-such-page")
    assert response.status_code == 404
    assert '<html lang="sv"' in text(response)
    switch_language(browser, "en")
    response = browser.get("/no-such-page")
    assert '<html lang="en"' in text(response)
    assert "The page could not be found." in text(response)


def test_json_errors_follow_the_language(browser):
    switch_language(browser, "en")
    response = browser.get("/admin/", headers={"Accept": "application/json"})
    assert response.get_json() == {"error": "You need to log in."}


# Formats


def formatted(web, language: str, function, value):
    with web.test_request_context(headers={"Cookie": f"est_lang={language}"}):
        return function(value)


CET = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 27, 13, 5, tzinfo=UTC), "27 nov 2026 14:05"),
        (datetime(2026, 7, 1, 12, 5, tzinfo=UTC), "1 juli 2026 14:05"),
        (datetime(2026, 5, 9, 6, 0, tzinfo=UTC), "9 maj 2026 08:00"),
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "29 mars 2026 01:30"),
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "29 mars 2026 03:30"),
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25 okt 2026 02:30"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25 okt 2026 02:30"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "1 jan 2027 00:30"),
        (datetime(2026, 11, 27, 8, 5, tzinfo=timezone(timedelta(hours=-5))), "27 nov 2026 14:05"),
        (datetime(2026, 11, 27, 14, 5, tzinfo=CET), "27 nov 2026 14:05"),
        (datetime(2026, 11, 27, 13, 5), "27 nov 2026 14:05"),  # naive is taken as UTC
        (None, ""),
    ],
    ids=[
        "winter",
        "summer",
        "morning",
        "before spring forward",
        "after spring forward",
        "before fall back",
        "after fall back",
        "new year",
        "other offset",
        "already local",
        "naive",
        "none",
    ],
)
def test_datetime_filter_gives_swedish_local_time(web, moment, expected):
    assert formatted(web, "sv", datetime_filter, moment) == expected


def test_datetime_filter_in_english(web):
    moment = datetime(2026, 11, 27, 13, 5, tzinfo=UTC)
    assert formatted(web, "en", datetime_filter, moment) == "27 Nov 2026 14:05"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 27, 13, 5, tzinfo=UTC), "27 nov 2026"),
        (datetime(2026, 11, 27, 23, 30, tzinfo=UTC), "28 nov 2026"),
        (datetime(2026, 9, 1, 12, 0, tzinfo=UTC), "1 sep 2026"),
        (None, ""),
    ],
)
def test_date_filter_gives_the_swedish_local_date(web, moment, expected):
    assert formatted(web, "sv", date_filter, moment) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234, "1\N{NO-BREAK SPACE}234"),
        (1234567, "1\N{NO-BREAK SPACE}234\N{NO-BREAK SPACE}567"),
        (999, "999"),
        (0, "0"),
        (-1234, "-1\N{NO-BREAK SPACE}234"),
        (1234.5, "1\N{NO-BREAK SPACE}234,5"),
        (None, ""),
    ],
)
def test_number_filter_groups_in_swedish(web, value, expected):
    assert formatted(web, "sv", number_filter, value) == expected


def test_number_filter_in_english(web):
    assert formatted(web, "en", number_filter, 1234567.5) == "1,234,567.5"


def test_pages_show_swedish_dates(client, login_as, create_user):
    user = create_user("reporter")
    user.last_login_at = datetime(2026, 11, 27, 13, 5, tzinfo=UTC)
    db.session.commit()
    login_as("admin")
    html = text(client.get("/admin/anvandare"))
    assert "27 nov 2026 14:05" in html
