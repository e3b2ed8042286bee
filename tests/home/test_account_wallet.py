"""/account/: the wallet balance and its latest ledger rows, in a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home.views import WALLET_ROWS
from tests.factories import make_customer, make_show
from ticketing.models import Booking
from wallet import services

pytestmark = pytest.mark.django_db
ACCOUNT = reverse("customer_account")


@pytest.fixture
def customer(db):
    return make_customer(username="ada", email="ada@example.com")


def test_empty_wallet(client, customer):
    client.force_login(customer)
    html = client.get(ACCOUNT).content.decode()
    assert "No wallet activity yet." in html and "₹0.00" in html


def test_balance_and_history(client, customer, movie, screen, clock):
    show = make_show(movie=movie, screen=screen)
    booking = Booking.objects.create(user=customer, show=show, state="confirmed", seats=["A1"])
    services.credit(customer, 500, reason="Welcome credit")
    clock.shift(timedelta(hours=1))
    services.debit(customer, "120.50", reason="Tickets", booking=booking)
    other = make_customer(username="eve", email="eve@example.com")
    services.credit(other, 999, reason="Not Ada's")

    client.force_login(customer)
    response = client.get(ACCOUNT)
    html = response.content.decode()
    assert [r.reason for r in response.context["wallet_rows"]] == ["Tickets", "Welcome credit"]  # newest first
    assert "₹379.50" in html and "+₹500.00" in html and "−₹120.50" in html
    assert f"Booking payment: Tickets ({booking.reference})" in html
    assert "Fri 20 Nov 2026, 11:00 am" in html
    assert "Not Ada" not in html and "No wallet activity yet." not in html


def queries_for(client):
    client.get(ACCOUNT)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(ACCOUNT).status_code == 200
    return len(ctx.captured_queries)


def test_shows_the_latest_rows_in_constant_queries(client, customer, movie, screen):
    show = make_show(movie=movie, screen=screen)
    Booking.objects.create(user=customer, show=show, state="expired", seats=["A1"])  # past list non-empty either way
    services.credit(customer, 10, reason="first")
    client.force_login(customer)
    before = queries_for(client)
    for n in range(WALLET_ROWS + 5):
        booking = Booking.objects.create(user=customer, show=show, state="expired", seats=[f"B{n % 10}"])
        services.credit(customer, 1, reason=f"row {n}", kind="refund", booking=booking)
    assert queries_for(client) == before
    rows = client.get(ACCOUNT).context["wallet_rows"]
    assert len(rows) == WALLET_ROWS and rows[0].reason == f"row {WALLET_ROWS + 4}"
