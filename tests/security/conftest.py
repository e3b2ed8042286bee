"""Abuse-suite fixtures: Alice owns a confirmed booking and a held one; Bob is the attacker."""

import pytest
from django.test import Client

from tests.checkout.conftest import alice, as_alice, bob, fund, held, pay, sandbox, show, signed_in  # noqa: F401
from ticketing.models import Booking
from ticketing.services.holds import hold_seats


@pytest.fixture
def confirmed(as_alice, alice, show):
    booking = hold_seats(alice, show, ["A5", "A6"]).booking
    fund(alice, 2000)
    assert pay(as_alice, booking, use_wallet=True).json()["state"] == "confirmed"
    return Booking.objects.get(pk=booking.pk)


@pytest.fixture
def as_bob(bob) -> Client:
    return signed_in(bob)


def csrf_client(user) -> Client:
    """A signed-in browser that really checks CSRF (the test client skips it by default)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client
