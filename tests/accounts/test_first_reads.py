"""On Redis, a signed-in request's session, the customer's copy and (on a hold) the hold's own
cache copies come in one round trip (core/auth_copy.py, config/cache.py ``get_by_hint``),
without weakening who is signed in: the session's own user id decides, whatever the hint says."""

import uuid

import pytest
import redis
from django.core.cache import cache

from core.auth_copy import hint_key
from tests.factories import make_customer
from tests.fixtures.checkout import committed, signed_in
from tests.fixtures.redis_commands import sent_commands

pytestmark = pytest.mark.django_db
REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_cache(settings):
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"first-reads-{uuid.uuid4().hex[:8]}",  # nothing from another test
        }
    }
    yield cache
    cache.clear()


@pytest.fixture
def commands(monkeypatch):
    """Every Redis command sent, by name, on any connection (not a new connection's own
    handshake)."""
    return sent_commands(monkeypatch)


def whoami(client) -> dict:
    response = client.get("/api/session")
    assert response.status_code == 200
    return response.json()


def named(customer) -> str:
    return customer.first_name or customer.email


def test_a_signed_in_request_reads_its_session_and_customer_in_one_round_trip(redis_cache, commands):
    customer = make_customer()
    browser = signed_in(customer)
    assert whoami(browser)["authenticated"]  # reads the row, stores the copy and the hint
    commands.clear()
    assert whoami(browser)["name"] == named(customer)
    assert commands == ["EVALSHA"]


def test_a_hint_naming_someone_else_is_not_believed(redis_cache):
    customer, other = make_customer(), make_customer()
    browser, theirs = signed_in(customer), signed_in(other)
    assert whoami(browser)["authenticated"] and whoami(theirs)["authenticated"]  # both copies cached
    cache.set(hint_key(browser.session.session_key), other.pk, 60)
    assert whoami(browser)["name"] == named(customer)
    assert whoami(browser)["name"] == named(customer)  # the hint was put right


def test_a_password_change_still_signs_other_sessions_out(redis_cache):
    customer = make_customer()
    browser = signed_in(customer)
    assert whoami(browser)["authenticated"]
    assert whoami(browser)["authenticated"]  # now from the one round trip
    customer.set_password("a-brand-new-password-9")
    with committed():
        customer.save()
    assert whoami(browser)["authenticated"] is False


def test_a_hold_asks_redis_once_before_its_seat_read_and_once_to_bump(redis_cache, commands, alice, show, settings):
    settings.MARQUEE_HOLD_RATE = 0  # the rate limit's counter is one more (an INCR)
    browser = signed_in(alice)
    hold = f"/api/shows/{show.pk}/holds"
    with committed():
        assert browser.post(hold, {"seats": ["A1"]}, content_type="application/json").status_code == 201
    other = signed_in(make_customer(verified=True))
    assert whoami(other)["authenticated"]
    with committed():  # warms the copies: the show's facts and prices, the verified address
        assert other.post(hold, {"seats": ["B1"]}, content_type="application/json").status_code == 201
    commands.clear()
    refused = other.post(hold, {"seats": ["A1"]}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["unavailable"] == ["A1"]
    assert commands == ["EVALSHA"]
    commands.clear()
    with committed():
        assert other.post(hold, {"seats": ["B1", "B2"]}, content_type="application/json").status_code == 201
    assert commands == ["EVALSHA", "EVALSHA"]  # the reads; the seat version's bump


def test_a_redis_that_refuses_scripts_only_costs_the_round_trips(redis_cache, monkeypatch):
    from config.cache import ReusedClients

    customer = make_customer()
    browser = signed_in(customer)
    assert whoami(browser)["authenticated"]

    def refused(*args, **kwargs):
        raise redis.exceptions.ResponseError("scripts are disabled on this server")

    monkeypatch.setattr(ReusedClients, "get_by_hint", refused)
    assert whoami(browser)["name"] == named(customer)


@pytest.mark.parametrize("show_id", ["9" * 5000, "0x1f", "%D9%A3"])
def test_an_absurd_show_id_in_the_hold_path_is_refused_not_a_500(redis_cache, show_id):
    browser = signed_in(make_customer())
    response = browser.post(f"/api/shows/{show_id}/holds", {"seats": ["A1"]}, content_type="application/json")
    assert response.status_code in (404, 422), response.content
