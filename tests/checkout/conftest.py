"""Checkout fixtures: a show, customers, signed-in clients and the offline sandbox gateway.

The default show is tomorrow at 18:00; A1 + A2 (Classic, ₹200 each) cost ₹542.80 with the
convenience fee and GST (400 + 60 fee + 72 GST @ 18% + 10.80 GST on the fee)."""

from decimal import Decimal

import pytest
from django.test import Client, TestCase

from tests.factories import make_customer, make_show
from ticketing.services.holds import hold_seats
from wallet import services as wallet

TOTAL_A1_A2 = Decimal("542.80")


@pytest.fixture
def show(movie):
    return make_show(movie=movie)


@pytest.fixture
def alice(db):
    return make_customer(username="alice", email="alice@example.com")


@pytest.fixture
def bob(db):
    return make_customer(username="bob", email="bob@example.com")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_alice(alice):
    return signed_in(alice)


@pytest.fixture
def sandbox():
    from ticketing.payments.sandbox import SandboxGateway

    return SandboxGateway()


@pytest.fixture
def held(alice, show):
    """Alice holds A1 and A2."""
    return hold_seats(alice, show, ["A1", "A2"]).booking


def fund(user, amount) -> None:
    wallet.credit(user, Decimal(amount), reason="Test credit")


def committed():
    """Run what the code queued for after commit (tasks run synchronously in tests)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def pay(client, booking, use_wallet=False):
    with committed():
        return client.post(f"/api/bookings/{booking.reference}/pay", {"use_wallet": use_wallet}, content_type="application/json")


def callback(client, sandbox, order_id, payment_id, signature=None):
    signature = signature if signature is not None else sandbox.sign_payment(order_id, payment_id)
    with committed():
        return client.post(
            "/payments/razorpay/callback/",
            {"razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature},
        )


def webhook(client, sandbox, event, payment, event_id=None):
    body, headers = sandbox.webhook_payload(event, payment)
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    if event_id:
        extra["HTTP_X_RAZORPAY_EVENT_ID"] = event_id
    with committed():
        return client.post("/payments/razorpay/webhook/", body, content_type="application/json", **extra)
