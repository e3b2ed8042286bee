"""Redis down for the cache: rate limits and memos fail open instead of answering 500.

REDIS_URL points the cache at Redis in production (config/cache.py). Here the cache points at
a port nothing listens on, as if Redis had gone away: every call must come back as a miss
within the socket timeout, be logged, and leave the customer's hold and sign-in working.
"""

import logging
import socket

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.MARQUEE_HOLD_RATE = 5  # the hold path goes through the cache's counter


def test_every_cache_call_answers_a_miss_and_is_logged(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="marquee.cache"):
        assert cache.get("k", "fallback") == "fallback"
        assert cache.get_or_set("k", 0, timeout=90) == 0
        assert cache.add("k", 1) is True  # a lock taken (allauth's throttle locks with add)
        assert cache.incr("k") == 1
        cache.set("k", 1)
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("k") is False
        assert cache.delete("k") is False
        cache.clear()
    assert "Redis unreachable" in caplog.text


def test_a_hold_still_works_with_the_rate_limit_failing_open(redis_down, as_alice, show):
    response = as_alice.post(f"/api/shows/{show.pk}/holds", {"seats": ["A1"]}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["seats"] == ["A1"]


def test_signing_in_still_works(redis_down, client, alice):
    alice.set_password("a-long-enough-password")
    alice.save()
    response = client.post("/accounts/login/", {"login": alice.email, "password": "a-long-enough-password"})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
