"""Per-IP sign-in limits count real clients behind the load balancer, and a forged
X-Forwarded-For never earns a fresh allowance (config/client_ip.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from core.client_ip import client_ip, proxy_count
from tests.accounts.helpers import PASSWORD, make_customer
from tests.accounts.test_login import LOGIN, MISMATCH, TOO_MANY

BALANCER = "10.0.0.2"
ATTACKER, CUSTOMER = "198.51.100.7", "203.0.113.50"


def request(xff=None, remote=BALANCER, **headers):
    if xff is not None:
        headers["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.fixture
def one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


# --- the setting ----------------------------------------------------------------------------
@pytest.mark.parametrize("value, count", [(None, 0), ("", 0), (" 0 ", 0), ("1", 1), ("2", 2)])
def test_the_proxy_count_is_a_whole_number(value, count):
    assert proxy_count(value) == count


@pytest.mark.parametrize("value", ["-1", "one", "1.5", "1,2"])
def test_a_bad_proxy_count_stops_start_up_with_a_clear_message(value):
    with pytest.raises(ImproperlyConfigured, match="MARQUEE_TRUSTED_PROXY_COUNT must be a whole number"):
        proxy_count(value)


# --- client_ip itself -----------------------------------------------------------------------
def test_without_proxies_x_forwarded_for_is_ignored(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(xff=ATTACKER)) == BALANCER


def test_one_proxy_the_entry_it_appended_is_the_client(one_proxy):
    assert client_ip(request(xff=CUSTOMER)) == CUSTOMER
    assert client_ip(request(xff=f"{ATTACKER}, {CUSTOMER}")) == CUSTOMER  # the client's own entry is not believed


def test_two_proxies_count_from_the_right(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(xff=f"1.1.1.1, {CUSTOMER}, 10.0.0.9")) == CUSTOMER
    assert client_ip(request(xff=CUSTOMER)) == BALANCER  # too short: nothing our proxies vouch for


@pytest.mark.parametrize(
    "xff, expected",
    [
        ("", BALANCER),
        (",,, ;;", BALANCER),
        ("not-an-ip", BALANCER),
        (f"{ATTACKER}, not-an-ip", BALANCER),  # the trusted entry is garbage: the left part is never used instead
        (",".join(["192.0.2.1"] * 999 + [CUSTOMER]), CUSTOMER),
        ("2001:db8::7", "2001:db8::7"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        (f"   {CUSTOMER}   ", CUSTOMER),
        (f"{CUSTOMER}:51234", CUSTOMER),
    ],
)
def test_malformed_x_forwarded_for_never_picks_the_untrusted_part(one_proxy, xff, expected):
    assert client_ip(request(xff=xff)) == expected


def test_a_trusted_client_ip_header_wins(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "CF-Connecting-IP"
    assert client_ip(request(xff=ATTACKER, HTTP_CF_CONNECTING_IP=CUSTOMER)) == CUSTOMER
    assert client_ip(request(xff=ATTACKER)) == BALANCER  # header missing: the TCP peer, never X-Forwarded-For
    assert client_ip(request(HTTP_CF_CONNECTING_IP="garbage")) == BALANCER


def test_no_address_at_all_is_still_an_answer(settings):
    assert client_ip(request(remote="")) == "0.0.0.0"


# --- through the login view -----------------------------------------------------------------
def sign_in(client, email, password, xff, remote=BALANCER):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=xff)


def spray(client, xffs, remote=BALANCER):
    """One failed sign-in for each of as many different addresses (so the per-address limit never trips)."""
    for i, xff in enumerate(xffs):
        assert MISMATCH in sign_in(client, f"target{i}@example.com", "Summer2026!", xff, remote).content.decode()


@pytest.mark.django_db
def test_one_clients_failures_behind_the_balancer_do_not_lock_out_another(client, one_proxy):
    make_customer("ada@example.com")
    victim_of_the_attacker = make_customer("grace@example.com")
    spray(client, [ATTACKER] * 10)
    for _ in range(2):  # failures 11 and 12
        assert TOO_MANY in sign_in(client, "target0@example.com", "x", ATTACKER).content.decode()

    # the failing client is limited, even with the right password of an untried account
    response = sign_in(client, victim_of_the_attacker.email, PASSWORD, ATTACKER)
    assert response.status_code == 200 and TOO_MANY in response.content.decode()
    assert client.session.get("_auth_user_id") is None

    # another customer, through the same balancer, signs in
    response = sign_in(client, "ada@example.com", PASSWORD, CUSTOMER)
    assert response.status_code == 302 and client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_without_trusted_proxies_rotating_forged_addresses_dodges_nothing(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    customer = make_customer("ada@example.com")
    spray(client, [f"192.0.2.{i}" for i in range(10)], remote=ATTACKER)
    response = sign_in(client, customer.email, PASSWORD, "192.0.2.200", remote=ATTACKER)
    assert response.status_code == 200 and TOO_MANY in response.content.decode()
    assert client.session.get("_auth_user_id") is None


@pytest.mark.django_db
@pytest.mark.parametrize("xff", ["", ",,, ;;", "not-an-ip", ",".join(["192.0.2.1"] * 1000), "2001:db8::7", "  ", "\x7f"])
def test_malformed_x_forwarded_for_at_the_login_view_is_no_error(client, one_proxy, xff):
    customer = make_customer("ada@example.com")
    assert sign_in(client, customer.email, "wrong", xff).status_code == 200
    assert sign_in(client, customer.email, PASSWORD, xff).status_code == 302


@pytest.mark.django_db
def test_garbage_in_the_trusted_position_counts_against_the_balancer_not_a_fresh_address(client, one_proxy):
    """An X-Forwarded-For our proxy did not write (garbage where its entry should be) never earns
    a fresh allowance: such requests all count as the balancer's."""
    spray(client, [f"junk{i}" for i in range(10)])
    customer = make_customer("ada@example.com")
    assert TOO_MANY in sign_in(client, customer.email, PASSWORD, "more-junk").content.decode()
