"""An attacker tampers with the two doors payments come in by, over HTTP: the checkout callback
(``POST /payments/razorpay/callback/``, posted by the browser, so every field is the
attacker's to change) and the webhook (``POST /payments/razorpay/webhook/``, open to anyone
who finds the address). A forgery is a 400 and changes nothing (see ``snapshot``); a payment
for the wrong amount is never a ticket: it is refunded and flagged for staff (docs/DESIGN.md §3–§4).

The HMAC functions themselves are in tests/payments/test_signatures.py; the happy paths and
the callback/webhook order in tests/checkout/test_flows.py."""

import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from tests.fixtures.checkout import TOTAL_A1_A2, callback, committed, fund, pay, webhook
from tests.security.conftest import snapshot
from ticketing.models import (
    Booking,
    BookingState,
    Payment,
    PaymentEvent,
    Refund,
    SandboxRefund,
    SeatState,
    ShowSeat,
    Ticket,
)
from ticketing.payments.signatures import payment_signature, webhook_signature
from ticketing.services.holds import hold_seats
from wallet.models import Wallet, WalletTransaction

pytestmark = pytest.mark.django_db

CALLBACK = "/payments/razorpay/callback/"
WEBHOOK = "/payments/razorpay/webhook/"
WALLET_PART = Decimal("100.00")
REFUNDING = "This payment is being refunded to where it came from."


@dataclass
class Checkout:
    """A booking waiting at the gateway, and the payment its customer made there."""

    booking: Booking
    order_id: str
    payment: object  # GatewayPayment

    def fields(self, **changes) -> dict:
        return {
            "razorpay_order_id": self.order_id,
            "razorpay_payment_id": self.payment.payment_id,
            "razorpay_signature": changes.pop("signature", None),
        } | changes


def open_checkout(client, booking, sandbox, amount=None) -> Checkout:
    order_id = pay(client, booking, use_wallet=True).json()["order_id"]
    return Checkout(booking, order_id, sandbox.pay(order_id, amount=amount))


@pytest.fixture
def alices(as_alice, alice, held, sandbox) -> Checkout:
    """Alice pays ₹100 from her wallet and the rest at the gateway (captured, not yet reported)."""
    fund(alice, WALLET_PART)
    return open_checkout(as_alice, held, sandbox)


@pytest.fixture
def bobs(as_bob, bob, show, sandbox) -> Checkout:
    """Bob does the same for B1 at the same show."""
    fund(bob, WALLET_PART)
    return open_checkout(as_bob, hold_seats(bob, show, ["B1"]).booking, sandbox)


def state_of(booking) -> str:
    return Booking.objects.get(pk=booking.pk).state


def post_callback(client, fields: dict):
    with committed():
        return client.post(CALLBACK, {name: value for name, value in fields.items() if value is not None})


def post_webhook(client, body: bytes, signature=None, event_id="evt_attack000001"):
    headers = {"HTTP_X_RAZORPAY_EVENT_ID": event_id} if event_id else {}
    if signature is not None:
        headers["HTTP_X_RAZORPAY_SIGNATURE"] = signature
    with committed():
        return client.post(WEBHOOK, body, content_type="application/json", **headers)


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the callback ---------------------------------------------------------------------------------
def tampered(checkout: Checkout, sandbox) -> dict:
    order_id, payment_id = checkout.order_id, checkout.payment.payment_id
    good = sandbox.sign_payment(order_id, payment_id)
    return {
        "one digit changed": good[:-1] + ("0" if good[-1] != "0" else "1"),
        "upper case": good.upper(),
        "one digit short": good[:-1],
        "one digit long": good + "0",
        "all zeros": "0" * 64,
        "fields swapped": payment_signature(payment_id, order_id, sandbox.key_secret),
        "the webhook secret": payment_signature(order_id, payment_id, sandbox.webhook_secret),
        "a guessed secret": payment_signature(order_id, payment_id, "secret"),
        "an empty value": "",
        "not hex": "<script>",
    }


def test_a_tampered_signature_is_refused(client, alices, sandbox):
    """The attacker edits the signature of a real, captured payment every way they can think of."""
    before = snapshot()
    for how, signature in tampered(alices, sandbox).items():
        response = post_callback(client, alices.fields(signature=signature))
        assert response.status_code == 400, how
        assert response.content.decode() == "This payment could not be verified."
    assert snapshot() == before
    assert state_of(alices.booking) == BookingState.PAYMENT_PENDING
    # the real callback still goes through afterwards
    assert callback(client, sandbox, alices.order_id, alices.payment.payment_id).status_code == 302
    assert state_of(alices.booking) == BookingState.CONFIRMED


def test_a_valid_signature_over_a_different_payment_id_is_refused(client, alices, bobs, sandbox):
    """Alice's genuine signature, sent with another payment's id (Bob's, captured at the gateway)."""
    before = snapshot()
    genuine = sandbox.sign_payment(alices.order_id, alices.payment.payment_id)
    for payment_id in (bobs.payment.payment_id, "pay_" + "A" * 14):
        fields = alices.fields(signature=genuine, razorpay_payment_id=payment_id)
        assert post_callback(client, fields).status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("direction", ["bob's payment on alice's order", "alice's payment on bob's order"])
def test_a_payment_cannot_confirm_another_customers_booking(as_bob, alices, bobs, sandbox, direction):
    """Even signed as valid for the other order (as if the secret had leaked), a payment made for
    one booking never confirms another: the finalizer asks the gateway which order it paid."""
    order_id, payment_id = (
        (alices.order_id, bobs.payment.payment_id)
        if direction.startswith("bob's")
        else (bobs.order_id, alices.payment.payment_id)
    )
    before = snapshot()
    response = callback(as_bob, sandbox, order_id, payment_id)
    assert response.status_code == 400
    assert response.content.decode() == "This payment does not belong to this booking."
    assert snapshot() == before
    assert not Payment.objects.filter(payment_id=payment_id).exists()
    # Neither payment was spent by the attempt: each still confirms its own booking.
    for mine in (alices, bobs):
        assert callback(as_bob, sandbox, mine.order_id, mine.payment.payment_id).status_code == 302
        assert state_of(mine.booking) == BookingState.CONFIRMED


@pytest.mark.parametrize("missing", ["razorpay_order_id", "razorpay_payment_id", "razorpay_signature", "all"])
def test_a_missing_field_is_refused(client, alices, sandbox, missing):
    """The attacker drops a field, hoping a check is skipped when there is nothing to check."""
    fields = alices.fields(signature=sandbox.sign_payment(alices.order_id, alices.payment.payment_id))
    fields = {name: value for name, value in fields.items() if missing not in (name, "all")}
    before = snapshot()
    assert post_callback(client, fields).status_code == 400
    blank = {name: "" for name in alices.fields()} | fields
    assert post_callback(client, blank).status_code == 400
    assert snapshot() == before


def assert_refunded_and_flagged(checkout: Checkout, paid: Decimal):
    """The amount-mismatch answer: no ticket; the gateway payment back to its source in full,
    the wallet part back to the wallet, the seats free, the booking flagged for staff."""
    booking = Booking.objects.get(pk=checkout.booking.pk)
    asked = TOTAL_A1_A2 - WALLET_PART
    assert booking.state == BookingState.EXPIRED
    assert booking.needs_attention and booking.attention_note == f"Paid ₹{paid} but the order asked ₹{asked}"
    assert not Ticket.objects.filter(booking=booking).exists()
    assert not ShowSeat.objects.filter(booking=booking).exists()
    assert set(ShowSeat.objects.filter(show=booking.show, label__in=booking.seats).values_list("state", flat=True)) == {
        SeatState.AVAILABLE
    }
    payment = Payment.objects.get(booking=booking)
    assert (payment.payment_id, payment.amount, payment.amount_paid) == (checkout.payment.payment_id, asked, paid)
    refund = Refund.objects.get(booking=booking)
    assert (refund.payment, refund.destination, refund.amount, refund.status) == (payment, "source", paid, "processed")
    assert list(SandboxRefund.objects.values_list("payment__payment_id", "amount")) == [
        (checkout.payment.payment_id, int(paid * 100))
    ]
    user = booking.user
    assert Wallet.objects.get(user=user).balance == WALLET_PART
    assert list(WalletTransaction.objects.filter(wallet__user=user).order_by("pk").values_list("kind", "amount")) == [
        ("credit", WALLET_PART),
        ("booking_payment", -WALLET_PART),
        ("booking_release", WALLET_PART),
    ]


@pytest.mark.parametrize("paid", [Decimal("1.00"), TOTAL_A1_A2 - WALLET_PART + 1], ids=["less", "more"])
def test_an_amount_mismatch_through_the_callback_is_refunded_and_flagged(as_alice, held, alice, sandbox, mailoutbox, paid):
    """The gateway captured another amount than the order asked for (a tampered Checkout)."""
    fund(alice, WALLET_PART)
    checkout = open_checkout(as_alice, held, sandbox, amount=int(paid * 100))
    response = callback(as_alice, sandbox, checkout.order_id, checkout.payment.payment_id)
    assert response.status_code == 302 and response["Location"] == f"/bookings/{held.reference}/"
    assert flash(response) == ["The amount paid does not match the booking. It is being refunded."]
    assert_refunded_and_flagged(checkout, paid)
    assert [m.subject for m in mailoutbox] == [f"Your payment for {held.reference} has been refunded"]

    # The same callback again, or the webhook about the same payment: nothing more happens.
    before = snapshot()
    again = callback(as_alice, sandbox, checkout.order_id, checkout.payment.payment_id)
    assert again.status_code == 302 and flash(again)[-1] == REFUNDING
    webhook(as_alice, sandbox, "payment.captured", checkout.payment)
    assert PaymentEvent.objects.get().result == "already_refunded"
    after = snapshot()
    assert len(after.pop("PaymentEvent")) == 1 and before.pop("PaymentEvent") == []
    assert after == before


# --- the webhook ----------------------------------------------------------------------------------
@pytest.fixture
def signed_event(alices, sandbox) -> tuple[bytes, str]:
    """A genuine ``payment.captured`` for Alice's payment: the body and its signature."""
    body, headers = sandbox.webhook_payload("payment.captured", alices.payment)
    return body, headers["X-Razorpay-Signature"]


def test_a_webhook_without_a_signature_is_refused(client, signed_event):
    body, _ = signed_event
    before = snapshot()
    for signature in (None, ""):
        response = post_webhook(client, body, signature)
        assert response.status_code == 400 and response.json() == {"detail": "Refused: bad signature."}
    assert snapshot() == before


def test_a_webhook_with_a_wrong_signature_is_refused(client, signed_event, sandbox):
    body, good = signed_event
    before = snapshot()
    for signature in (
        good[:-1] + ("0" if good[-1] != "0" else "1"),
        good.upper(),
        webhook_signature(body, sandbox.key_secret),  # the API key secret, not the webhook secret
        webhook_signature(body, "secret"),
        "f" * 64,
        "not-a-signature",
    ):
        assert post_webhook(client, body, signature).status_code == 400, signature
    assert snapshot() == before


def test_a_body_changed_after_signing_is_refused(client, signed_event, bobs):
    """Re-serialised (same data, other bytes) or edited to point at another payment."""
    body, signature = signed_event
    data = json.loads(body)
    edited = json.loads(body)
    edited["payload"]["payment"]["entity"]["id"] = bobs.payment.payment_id
    before = snapshot()
    for changed in (
        json.dumps(data).encode(),
        json.dumps(data, indent=2).encode(),
        body + b"\n",
        json.dumps(edited, separators=(",", ":")).encode(),
    ):
        assert changed != body
        assert post_webhook(client, changed, signature).status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("body", [b"not json", b"", b"\xff\xfe", b"[1, 2]", b'"payment.captured"', b"null"])
def test_a_validly_signed_body_that_is_not_a_json_object_is_refused(client, sandbox, alices, body):
    """Signed with the real webhook secret (as if it had leaked), still not an event."""
    before = snapshot()
    response = post_webhook(client, body, webhook_signature(body, sandbox.webhook_secret))
    assert response.status_code == 400 and response.json()["detail"].startswith("Refused: body is not")
    assert snapshot() == before


def test_a_signed_webhook_without_an_event_id_is_refused(client, signed_event):
    body, signature = signed_event
    before = snapshot()
    for event_id in (None, "", "e" * 65):
        assert post_webhook(client, body, signature, event_id=event_id).status_code == 400
    assert snapshot() == before


def test_a_replayed_event_is_stored_once_and_processed_once(client, alices, signed_event, mailoutbox):
    """The attacker captures one delivery and sends it again and again."""
    body, signature = signed_event
    first = post_webhook(client, body, signature)
    assert first.status_code == 200 and first.json() == {"status": "accepted"}
    assert state_of(alices.booking) == BookingState.CONFIRMED
    assert PaymentEvent.objects.get().result == "confirmed"
    before = snapshot()
    for _ in range(5):
        again = post_webhook(client, body, signature)
        assert again.status_code == 200 and again.json() == {"status": "duplicate"}
    assert snapshot() == before
    assert len(mailoutbox) == 1
    assert WalletTransaction.objects.filter(wallet__user=alices.booking.user, kind="booking_payment").count() == 1


def test_a_replay_under_a_new_event_id_moves_nothing(client, alices, signed_event):
    """The event id header is not covered by the signature: a replay can carry a fresh one. It is
    recorded as another delivery, and the finalizer, asked again, changes nothing."""
    body, signature = signed_event
    post_webhook(client, body, signature)
    before = snapshot()
    response = post_webhook(client, body, signature, event_id="evt_attack000002")
    assert response.status_code == 200 and response.json() == {"status": "accepted"}
    assert PaymentEvent.objects.get(event_id="evt_attack000002").result == "already_confirmed"
    after = snapshot()
    assert len(after.pop("PaymentEvent")) == len(before.pop("PaymentEvent")) + 1
    assert after == before


def test_an_amount_mismatch_in_a_signed_webhook_is_refunded_and_flagged(client, as_alice, alice, held, sandbox, mailoutbox):
    """A genuine ``payment.captured`` for less than the order: refunded and flagged, never
    confirmed; the browser's callback that follows does not say otherwise."""
    fund(alice, WALLET_PART)
    checkout = open_checkout(as_alice, held, sandbox, amount=100)
    assert webhook(client, sandbox, "payment.captured", checkout.payment).json() == {"status": "accepted"}
    assert PaymentEvent.objects.get().result == "mismatch"
    assert_refunded_and_flagged(checkout, Decimal("1.00"))
    assert [m.subject for m in mailoutbox] == [f"Your payment for {held.reference} has been refunded"]

    before = snapshot()
    response = callback(as_alice, sandbox, checkout.order_id, checkout.payment.payment_id)
    assert response.status_code == 302 and response["Location"] == f"/bookings/{held.reference}/"
    assert flash(response) == [REFUNDING]  # not "Payment received: your booking is confirmed."
    assert snapshot() == before
