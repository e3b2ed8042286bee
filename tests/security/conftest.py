"""Abuse-suite fixtures: Alice owns a confirmed booking and a held one; Bob is the attacker.

``snapshot()`` reads everything an attack could change (bookings, seats, payments, gateway
events, refunds, tickets, wallets and their ledger, promo codes, the sandbox's refunds, the
e-mails sent): an attack that is refused must leave it exactly as it was."""

import pytest
from django.core import mail
from django.test import Client

from tests.fixtures.checkout import fund, pay, signed_in
from ticketing.models import Booking, Payment, PaymentEvent, PromoCode, Refund, SandboxRefund, ShowSeat, Ticket
from ticketing.services.holds import hold_seats
from wallet.models import Wallet, WalletTransaction

WATCHED = (Booking, ShowSeat, Payment, PaymentEvent, Refund, Ticket, Wallet, WalletTransaction, PromoCode, SandboxRefund)


def snapshot() -> dict:
    """Every row an attacker could hope to change, and the number of e-mails sent."""
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}
    state["mail"] = len(mail.outbox)
    return state


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
