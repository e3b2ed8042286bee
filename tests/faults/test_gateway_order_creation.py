"""Razorpay timing out or answering 5xx while the order is created (POST /api/bookings/{ref}/pay):
the customer gets a 503 with a message they can act on, the hold is kept, the wallet part
comes back, and paying again once Razorpay answers opens the order."""

from decimal import Decimal

import pytest

from core.money import to_paise
from tests.fixtures.checkout import TOTAL_A1_A2, fund, pay
from ticketing.models import Booking, BookingState, Payment, SeatState, ShowSeat
from ticketing.payments.razorpay_gateway import NOT_ANSWERING
from wallet.models import TransactionKind, Wallet, WalletTransaction

pytestmark = pytest.mark.django_db


def seats(booking):
    return {row.label: (row.state, row.booking_id, row.held_until) for row in ShowSeat.objects.filter(show=booking.show)}


@pytest.mark.parametrize("fault", ["timeout", "reset", 500, 503])
def test_the_gateway_down_at_order_creation_keeps_the_hold_and_a_retry_opens_the_order(
    razorpay, slept, as_alice, alice, held, fault
):
    fund(alice, 100)
    before = seats(held)
    razorpay.fail("/orders", fault, fault, fault)  # the first try and both retries

    response = pay(as_alice, held, use_wallet=True)

    assert response.status_code == 503
    assert response.json() == {"detail": NOT_ANSWERING, "code": "gateway_unavailable"}
    assert len(razorpay.calls_to("POST", "/orders")) == 3 and slept == [0.2, 0.4]  # bounded, with backoff
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.HELD
    assert booking.held_until == held.held_until  # the same ten minutes, not shortened or lost
    assert seats(booking) == before
    assert {state for state, owner, _ in before.values() if owner == held.pk} == {SeatState.HELD}
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")  # the wallet part is back
    assert list(WalletTransaction.objects.filter(booking=held).order_by("pk").values_list("kind", "amount")) == [
        (TransactionKind.BOOKING_PAYMENT, Decimal("-100.00")),
        (TransactionKind.BOOKING_RELEASE, Decimal("100.00")),
    ]
    assert not Payment.objects.filter(booking=held).exists()

    # Razorpay answers again; the customer presses Pay once more.
    response = pay(as_alice, held, use_wallet=True)

    assert response.status_code == 200
    data = response.json()
    order_id = data["order_id"]
    assert (data["state"], data["gateway"], data["key_id"], data["currency"]) == (
        "payment_pending",
        "razorpay",
        "rzp_test_faults",
        "INR",
    )
    assert data["amount"] == to_paise(TOTAL_A1_A2 - 100) == razorpay.orders[order_id]["amount"]
    assert razorpay.orders[order_id]["receipt"] == held.reference
    payment = Payment.objects.get(booking=held)
    assert (payment.order_id, payment.gateway, payment.status, payment.amount) == (
        order_id,
        "razorpay",
        "created",
        TOTAL_A1_A2 - 100,
    )
    assert Booking.objects.get(pk=held.pk).state == BookingState.PAYMENT_PENDING
    assert Wallet.objects.get(user=alice).balance == Decimal("0.00")  # taken once more, once
    assert seats(held) == before


def test_a_gateway_that_recovers_within_the_retries_is_invisible_to_the_customer(razorpay, slept, as_alice, held):
    razorpay.fail("/orders", 503, "timeout")

    response = pay(as_alice, held)

    assert response.status_code == 200 and response.json()["state"] == "payment_pending"
    assert len(razorpay.calls_to("POST", "/orders")) == 3 and slept == [0.2, 0.4]
    assert list(razorpay.orders) == [response.json()["order_id"]]
    assert Payment.objects.filter(booking=held).count() == 1


def test_a_refusal_is_not_retried_and_still_keeps_the_hold(razorpay, slept, as_alice, alice, held):
    fund(alice, 100)
    razorpay.fail("/orders", 400)

    response = pay(as_alice, held, use_wallet=True)

    assert response.status_code == 503
    assert "still held" in response.json()["detail"]
    assert len(razorpay.calls_to("POST", "/orders")) == 1 and slept == []
    assert Booking.objects.get(pk=held.pk).state == BookingState.HELD
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")
    assert pay(as_alice, held, use_wallet=True).json()["state"] == "payment_pending"


class Stopwatch:
    """Simulated time for the gateway: every timed-out request and every backoff pause adds
    what it would have waited."""

    def __init__(self):
        self.elapsed = 0.0

    def wait(self, seconds):
        self.elapsed += seconds

    def now(self):
        return self.elapsed


def test_with_production_timings_a_silent_gateway_answers_503_before_the_web_server_gives_up(
    monkeypatch, settings, razorpay, as_alice, alice, held
):
    """Razorpay accepts the connection and never answers. With the production defaults
    (MARQUEE_GATEWAY_TIMEOUT 10 s, 3 retries) the customer must get the 503 — hold kept, wallet
    part back — before gunicorn's worker timeout (30 s, its default, as the Dockerfile runs it)
    kills the request half-way, which would leave the booking in payment_pending with no order."""
    from ticketing.payments import razorpay_gateway

    settings.MARQUEE_GATEWAY_TIMEOUT, settings.MARQUEE_GATEWAY_RETRIES = 10, 3
    clock = Stopwatch()
    monkeypatch.setattr(razorpay_gateway, "sleep", clock.wait)
    monkeypatch.setattr(razorpay_gateway, "monotonic", clock.now)
    razorpay.on_wait = clock.wait
    razorpay.fail("/orders", *["timeout"] * 4)
    fund(alice, 100)

    response = pay(as_alice, held, use_wallet=True)

    assert clock.elapsed < 30
    assert response.status_code == 503 and response.json()["detail"] == NOT_ANSWERING
    assert len(razorpay.calls_to("POST", "/orders")) >= 2  # it did retry
    assert Booking.objects.get(pk=held.pk).state == BookingState.HELD
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")
