"""Counter fixtures: a Box office seller and a Finance supervisor exactly as `migrate` sets
the groups up, an open shift with a ₹2,000 float, and signed-in clients.

The clock is frozen at Fri 20 Nov 2026 10:00 IST; the default show is tomorrow at 18:00, and
A1 + A2 (Classic, ₹200 each) cost ₹542.80 with the convenience fee and GST."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from home.roles import BOX_OFFICE, FINANCE
from tests.factories import make_user
from ticketing.services import counter_sales, counter_shifts

TOTAL_A1_A2 = Decimal("542.80")


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def staff_in(group: str, username: str):
    user = make_user(username=username, email=f"{username}@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def seller(db):
    return staff_in(BOX_OFFICE, "seller")


@pytest.fixture
def supervisor(db):
    return staff_in(FINANCE, "supervisor")


@pytest.fixture
def shift(seller):
    return counter_shifts.open_shift(seller, "Counter 1", "2000.00")


@pytest.fixture
def as_seller(seller):
    return signed_in(seller)


def sell_cash(seller, show, seats=("A1", "A2"), tendered="1000.00", **kwargs):
    return counter_sales.sell_at_counter(seller, show.pk, list(seats), method="cash", tendered=tendered, **kwargs)
