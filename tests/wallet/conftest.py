"""Fixtures for the wallet and finance-admin tests: a customer, staff users, bookings."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import make_customer, make_show, make_user
from ticketing.models import Booking


@pytest.fixture
def customer(db):
    return make_customer(username="ada", email="ada@example.com", first_name="Ada", last_name="Lovelace")


@pytest.fixture
def finance(db):
    """A member of the Finance group, nothing else."""
    user = make_user(username="fin", email="fin@example.com")
    user.groups.add(Group.objects.get(name="Finance"))
    return user


@pytest.fixture
def admin_only(db):
    """Reaches the admin, has no finance permission."""
    return make_user("wagtailadmin.access_admin", username="intern", email="intern@example.com")


@pytest.fixture
def show(movie, screen):
    return make_show(movie=movie, screen=screen)


def booking_for(user, show, state="confirmed", seats=("A1",), **kwargs) -> Booking:
    kwargs.setdefault("total", 250)
    kwargs.setdefault("payment_mode", "wallet")
    return Booking.objects.create(user=user, show=show, state=state, seats=list(seats), **kwargs)
