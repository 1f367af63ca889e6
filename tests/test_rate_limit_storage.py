"""Rate limits live in Redis when EST_REDIS_URL is set, so every worker counts together."""

import pytest
import redis

from est_pwa.app import create_app
from est_pwa.config import from_environment

from conftest import app_settings, csrf_token_from

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_db():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379 (.ci/run starts one)")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def test_redis_url_selects_redis_storage():
    settings = from_environment({"EST_REDIS_URL": REDIS_URL})
    assert settings["RATELIMIT_STORAGE_URI"] == REDIS_URL
    assert from_environment({})["RATELIMIT_STORAGE_URI"] == "memory://"


def test_two_workers_share_the_login_limit(app, redis_db):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [create_app(app_settings(url, RATELIMIT_STORAGE_URI=REDIS_URL)) for _ in range(2)]
    statuses = []
    for attempt in range(6):
        client = workers[attempt % 2].test_client()
        token = csrf_token_from(client.get("/login"))
        data = {"email": "nobody@kumla.example", "password": "wrong password", "csrf_token": token}
        statuses.append(client.post("/login", data=data).status_code)
    assert statuses == [200, 200, 200, 200, 200, 429]
    assert any(b"LIMITS" in key or b"LIMITER" in key for key in redis_db.keys("*"))
