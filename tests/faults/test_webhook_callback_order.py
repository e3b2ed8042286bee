"""The webhook and the browser's callback for the same payment, in every order: one
confirmation, one wallet debit, one set of tickets, one sent-log row and one e-mail; whichever
comes second gets the idempotent answer (the callback still sends the customer to the booking
page, the webhook still answers 2xx)."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail

from tests.fixtures.checkout import TOTAL_A1_A2, callback, committed, fund, pay, webhook
from ticketing.models import Booking, BookingState, Payment, PaymentEvent, PaymentStatus, SeatState, SentEmail, ShowSeat
from wallet.models import TransactionKind, Wallet, WalletTransaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_at_the_gateway(as_alice, alice, held, sandbox):
    """Alice pays ₹100 from her wallet and the rest in the sandbox; nothing has reported back yet."""
    fund(alice, 100)
    data = pay(as_alice, held, use_wallet=True).json()
    return data["order_id"], sandbox.pay(data["order_id"])


def the_callback(as_alice, sandbox, order_id, made):
    response = callback(as_alice, sandbox, order_id, made.payment_id)
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def assert_confirmed_once(alice, held):
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.CONFIRMED
    assert Payment.objects.filter(booking=held, status=PaymentStatus.PAID).count() == 1
    assert WalletTransaction.objects.filter(booking=held, kind=TransactionKind.BOOKING_PAYMENT).count() == 1
    assert not WalletTransaction.objects.filter(booking=held, kind=TransactionKind.BOOKING_RELEASE).exists()
    assert Wallet.objects.get(user=alice).balance == Decimal("0.00")
    assert sorted(booking.tickets.values_list("seat_label", flat=True)) == ["A1", "A2"]
    assert set(ShowSeat.objects.filter(booking=held).values_list("state", flat=True)) == {SeatState.SOLD}
    assert list(SentEmail.objects.filter(booking=held).values_list("key", "status")) == [
        (f"booking_confirmed:{held.reference}", "sent")
    ]
    assert [m.subject for m in mail.outbox] == [f"Your booking {held.reference} is confirmed"]
    assert not booking.refunds.exists()
    assert booking.total == TOTAL_A1_A2


def test_webhook_first_then_callback(client, as_alice, alice, held, sandbox, paid_at_the_gateway):
    order_id, made = paid_at_the_gateway

    response = webhook(client, sandbox, "payment.captured", made, event_id="evt_first")
    assert (response.status_code, response.json()) == (200, {"status": "accepted"})
    assert PaymentEvent.objects.get(event_id="evt_first").result == "confirmed"

    response, messages = the_callback(as_alice, sandbox, order_id, made)
    assert response.status_code == 302 and response.url == f"/bookings/{held.reference}/"
    assert messages == ["Payment received: your booking is confirmed."]
    assert_confirmed_once(alice, held)


def test_callback_first_then_webhook(client, as_alice, alice, held, sandbox, paid_at_the_gateway):
    order_id, made = paid_at_the_gateway

    response, messages = the_callback(as_alice, sandbox, order_id, made)
    assert response.status_code == 302 and response.url == f"/bookings/{held.reference}/"
    assert messages == ["Your booking is confirmed."]

    response = webhook(client, sandbox, "payment.captured", made, event_id="evt_second")
    assert (response.status_code, response.json()) == (200, {"status": "accepted"})
    assert PaymentEvent.objects.get(event_id="evt_second").result == "already_confirmed"
    # Razorpay redelivers the same event, and sends order.paid as well: nothing more happens.
    response = webhook(client, sandbox, "payment.captured", made, event_id="evt_second")
    assert (response.status_code, response.json()) == (200, {"status": "duplicate"})
    assert webhook(client, sandbox, "order.paid", made).status_code == 200
    assert set(PaymentEvent.objects.values_list("result", flat=True)) == {"already_confirmed"}
    assert_confirmed_once(alice, held)


def test_webhook_received_first_but_worked_after_the_callback(
    cluster, client, as_alice, alice, held, sandbox, paid_at_the_gateway
):
    """The webhook is stored and acknowledged at once, but its task waits in the queue; the
    callback confirms meanwhile; then the worker gets to the webhook."""
    order_id, made = paid_at_the_gateway
    with committed():
        assert sandbox.deliver_webhook("payment.captured", made, event_id="evt_queued") == 200
    event = PaymentEvent.objects.get(event_id="evt_queued")
    assert cluster.waiting() == [f"webhook:{event.pk}"] and event.result == ""

    response, messages = the_callback(as_alice, sandbox, order_id, made)
    assert response.status_code == 302 and messages == ["Your booking is confirmed."]

    results = {name: result for name, result, success in cluster.run() if success}
    assert results == {f"webhook:{event.pk}": "already_confirmed", f"booking_confirmed:{held.reference}": "sent"}
    assert cluster.waiting() == []
    assert_confirmed_once(alice, held)


def test_the_sandbox_page_delivers_the_webhook_before_the_browser_reaches_the_callback(as_alice, alice, held):
    """The sandbox checkout page's own order of events: Pay → webhook (in process) → callback."""
    fund(alice, 100)
    data = pay(as_alice, held, use_wallet=True).json()
    with committed():
        page = as_alice.post(data["checkout_url"], {"action": "pay"})  # "send the webhook" is on by default
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED  # by the webhook
    assert PaymentEvent.objects.get().result == "confirmed"

    with committed():
        response = as_alice.post("/payments/razorpay/callback/", dict(page.context["fields"]))
    assert response.status_code == 302 and response.url == f"/bookings/{held.reference}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Payment received: your booking is confirmed."]
    assert_confirmed_once(alice, held)
