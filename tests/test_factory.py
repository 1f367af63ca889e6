"""The application factory, settings from ``EST_*`` variables and the headers on every answer."""

import os

import pytest

from est_pwa import config
from est_pwa.app import create_app


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """Return a function that sets ``EST_*`` variables on an otherwise clean environment."""
    for name in list(os.environ):
        if name.startswith("EST_") and name != "EST_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("EST_DATABASE_URL", f"sqlite:///{tmp_path / 'est.sqlite3'}")

    def set_variables(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return set_variables


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgres://est:pw@db:5432/est", "postgresql+psycopg://est:pw@db:5432/est"),
        ("postgresql://est@db/est", "postgresql+psycopg://est@db/est"),
        ("postgresql+psycopg://est@db/est", "postgresql+psycopg://est@db/est"),
        ("sqlite:////var/lib/est/est.sqlite3", "sqlite:////var/lib/est/est.sqlite3"),
    ],
)
def test_database_url_points_postgres_at_psycopg3(raw, expected):
    settings = config.from_environment({"EST_DATABASE_URL": raw}, "/srv/instance")
    assert settings["SQLALCHEMY_DATABASE_URI"] == expected


def test_defaults_are_safe_for_development():
    settings = config.from_environment({}, "/srv/instance")
    assert settings["ENV_NAME"] == "development"
    assert settings["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/instance/est.sqlite3"
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"
    assert settings["RATELIMIT_LOGIN"] == "5 per minute"
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["REMEMBER_COOKIE_SECURE"] is False
    assert settings["MAP_BOUNDS"] == [59.03, 14.95, 59.24, 15.35]
    assert config.DEFAULTS["BABEL_DEFAULT_LOCALE"] == "sv"
    assert config.DEFAULTS["BABEL_DEFAULT_TIMEZONE"] == "Europe/Stockholm"


def test_settings_come_from_est_variables():
    settings = config.from_environment(
        {
            "EST_ENV": "production",
            "EST_SECRET_KEY": "s3cret",
            "EST_REDIS_URL": "redis://cache:6379/0",
            "EST_MUNICIPALITY_NAME": "Örebro kommun",
            "EST_MAP_CENTRE": "59.2741,15.2066",
            "EST_MAX_UPLOAD_BYTES": "1000",
            "EST_SECURE_COOKIES": "1",
        }
    )
    assert settings["ENV_NAME"] == "production"
    assert settings["SECRET_KEY"] == "s3cret"
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    assert settings["MUNICIPALITY_NAME"] == "Örebro kommun"
    assert settings["MAP_CENTRE"] == [59.2741, 15.2066]
    assert settings["MAX_CONTENT_LENGTH"] == 1000
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["REMEMBER_COOKIE_SECURE"] is True


def test_factory_reads_the_environment(environment):
    environment(EST_MUNICIPALITY_NAME="Hallsbergs kommun", EST_SECRET_KEY="from-env")
    app = create_app()
    assert app.config["MUNICIPALITY_NAME"] == "Hallsbergs kommun"
    assert app.config["SECRET_KEY"] == "from-env"
    assert not app.testing


@pytest.mark.parametrize("secret", [None, "", config.DEV_SECRET_KEY])
def test_production_refuses_a_development_secret(environment, secret):
    environment(EST_ENV="production")
    if secret is not None:
        environment(EST_SECRET_KEY=secret)
    with pytest.raises(config.ConfigurationError, match="EST_SECRET_KEY"):
        create_app()


def test_production_starts_with_a_real_secret(environment):
    environment(EST_ENV="production", EST_SECRET_KEY="a-long-random-value-from-the-vault")
    app = create_app()
    assert app.config["ENV_NAME"] == "production"


def test_test_config_cannot_smuggle_the_dev_secret_into_production(tmp_path):
    settings = {
        "ENV_NAME": "production",
        "SECRET_KEY": config.DEV_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'est.sqlite3'}",
    }
    with pytest.raises(config.ConfigurationError):
        create_app(settings)


def test_development_runs_with_the_development_secret(environment):
    app = create_app()
    assert app.config["SECRET_KEY"] == config.DEV_SECRET_KEY


@pytest.mark.parametrize("path", ["/", "/login", "/tillganglighet", "/no-such-page"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client):
    html = client.get("/login").get_data(as_text=True)
    assert "<script>" not in html
    assert " onclick=" not in html


def test_csp_allows_the_configured_tile_host(app):
    app.config["TILE_URL"] = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    policy = app.test_client().get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://*.tiles.example.org" in policy


def _cookie_header(response, name: str) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert headers, f"no {name} cookie was set"
    return headers[0]


def test_session_cookie_is_httponly_and_lax(client):
    cookie = _cookie_header(client.get("/login"), "session")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_when_asked(environment):
    environment(EST_SECURE_COOKIES="1")
    app = create_app()
    cookie = _cookie_header(app.test_client().get("/login"), "session")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_remember_cookie_is_secure_when_asked(environment):
    environment(EST_SECURE_COOKIES="1")
    app = create_app()
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
