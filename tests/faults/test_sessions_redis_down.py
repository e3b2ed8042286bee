"""Sessions are cached_db: read from the cache, written through to the database. With Redis
gone every cache call is a miss (config/cache.py), so a session is read from the database and
nobody is signed out by an outage."""

import pytest
from django.conf import settings as django_settings

from tests.faults.test_redis_cache_down import redis_down  # noqa: F401  (the fixture)
from tests.fixtures.checkout import signed_in

pytestmark = pytest.mark.django_db


def test_sessions_are_cached_and_written_through():
    assert django_settings.SESSION_ENGINE == "core.sessions"  # cached_db, see core/sessions.py


def test_a_customer_signed_in_before_the_outage_stays_signed_in(alice, show, settings):
    client = signed_in(alice)  # the session is in the database and the (working) cache
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: every call is a miss
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    assert client.get("/account/").status_code == 200  # read from the database
    response = client.post(f"/api/shows/{show.pk}/holds", {"seats": ["A1"]}, content_type="application/json")
    assert response.status_code == 201, response.content


def test_signing_in_during_the_outage_keeps_the_customer_signed_in(redis_down, client, alice):  # noqa: F811
    alice.set_password("a-long-enough-password")
    alice.save()
    assert client.post("/accounts/login/", {"login": alice.email, "password": "a-long-enough-password"}).status_code == 302
    assert client.get("/account/").status_code == 200
    assert client.get("/account/").status_code == 200  # and again: the session lives in the database
