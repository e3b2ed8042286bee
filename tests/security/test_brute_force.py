"""Guessing is rate-limited: passwords (per address, and across addresses from one IP — the
per-address lockout is in tests/accounts/test_login.py), e-mail codes (three tries, in
tests/accounts/test_signup.py) and holds (tests/ticketing/test_api.py)."""

import pytest

from tests.accounts.helpers import PASSWORD, make_customer
from tests.accounts.test_login import LOGIN, TOO_MANY, sign_in, signed_in_as

pytestmark = pytest.mark.django_db


def test_password_spraying_from_one_ip_is_cut_off(client):
    """allauth's login_failed limit is also 10 a minute per IP: trying one password against
    many addresses stops working, even for an address that was never tried."""
    victims = [make_customer(f"user{i}@example.com") for i in range(11)]
    for victim in victims[:10]:
        sign_in(client, victim.email, "Summer2026!")
    response = sign_in(client, victims[10].email, PASSWORD)
    assert TOO_MANY in response.content.decode()
    assert signed_in_as(client) is None


def test_another_ip_is_not_locked_out(client):
    victims = [make_customer(f"user{i}@example.com") for i in range(11)]
    for victim in victims[:10]:
        sign_in(client, victim.email, "Summer2026!")
    response = client.post(LOGIN, {"login": victims[10].email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
