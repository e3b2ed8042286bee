"""Check-in fixtures: a confirmed booking with its tickets, a Box office member and staff
without the check-in permission.

The clock is frozen at Fri 20 Nov 2026 10:00 IST; the default show is tomorrow at 18:00."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from home.roles import BOX_OFFICE
from tests.factories import make_customer, make_user
from ticketing.models import BookingState, Ticket
from ticketing.services.checkout import start_checkout
from ticketing.services.holds import hold_seats
from wallet import services as wallet


def confirmed_booking(customer, show, seats=("A1", "A2")):
    """Paid in full from the wallet, so it confirms at once and its tickets are issued."""
    wallet.credit(customer, Decimal("5000"), reason="Test credit")
    booking = start_checkout(hold_seats(customer, show, list(seats)).booking, use_wallet=True).booking
    assert booking.state == BookingState.CONFIRMED
    return booking


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def alice(db):
    return make_customer(username="alice", email="alice@example.com", first_name="Alice")


@pytest.fixture
def booking(alice, show):
    return confirmed_booking(alice, show)


@pytest.fixture
def ticket(booking) -> Ticket:
    return booking.tickets.get(seat_label="A1")


@pytest.fixture
def doorman(db):
    """A member of the Box office group, exactly as `migrate` sets it up."""
    user = make_user(username="doorman")
    user.groups.add(Group.objects.get(name=BOX_OFFICE))
    return user


@pytest.fixture
def editor(db):
    """Admin access, but not the check-in permission."""
    return make_user("wagtailadmin.access_admin", username="editor")
