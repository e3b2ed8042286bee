"""Ticket fixtures: Alice's confirmed booking of three seats, paid from her wallet."""

import pytest

from tests.fixtures.checkout import fund, pay
from ticketing.models import Booking
from ticketing.services.holds import hold_seats


def confirm(client, user, show, seats):
    booking = hold_seats(user, show, seats).booking
    fund(user, 3000)
    assert pay(client, booking, use_wallet=True).json()["state"] == "confirmed"
    return Booking.objects.get(pk=booking.pk)


@pytest.fixture
def confirmed(as_alice, alice, show):
    return confirm(as_alice, alice, show, ["A1", "A2", "A3"])
