"""Payments fixtures: a customer with a held booking, and the sandbox gateway."""

import pytest
from django.test import Client

from tests.factories import make_customer
from ticketing.payments.sandbox import SandboxGateway
from ticketing.services.holds import hold_seats


@pytest.fixture
def sandbox(db):
    return SandboxGateway()


@pytest.fixture
def asha(db):
    return make_customer(username="asha")


@pytest.fixture
def ravi(db):
    return make_customer(username="ravi")


@pytest.fixture
def booking(asha, show):
    return hold_seats(asha, show, ["A1", "A2"]).booking


@pytest.fixture
def order(sandbox, booking):
    """A ₹512.40 sandbox order for Asha's booking."""
    return sandbox.create_order(51240, booking.reference, {"booking": booking.reference})


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client
