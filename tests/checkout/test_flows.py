"""Paying for a hold through the sandbox: wallet only, wallet + gateway, gateway only, failures,
tampering, repeated webhooks and the order in which callback and webhook arrive."""

from decimal import Decimal

import pytest
from django.core import mail

from tests.fixtures.checkout import TOTAL_A1_A2, callback, fund, pay, webhook
from ticketing.models import Booking, BookingState, Payment, PaymentStatus, SeatState, ShowSeat
from ticketing.payments.base import GatewayError
from wallet.models import TransactionKind, Wallet, WalletTransaction

pytestmark = pytest.mark.django_db


def seat_states(show, *labels):
    return dict(ShowSeat.objects.filter(show=show, label__in=labels).values_list("label", "state"))


def ledger(user):
    return list(WalletTransaction.objects.filter(wallet__user=user).order_by("pk").values_list("kind", "amount"))


def test_the_wallet_alone_confirms_at_once(as_alice, alice, held, show):
    fund(alice, 1000)
    response = pay(as_alice, held, use_wallet=True)
    assert response.status_code == 200
    data = response.json()
    assert data["state"] == "confirmed"
    assert "order_id" not in data
    assert seat_states(show, "A1", "A2") == {"A1": SeatState.SOLD, "A2": SeatState.SOLD}
    assert ledger(alice) == [("credit", Decimal("1000.00")), ("booking_payment", -TOTAL_A1_A2)]
    assert Wallet.objects.get(user=alice).balance == Decimal("1000.00") - TOTAL_A1_A2
    booking = Booking.objects.get(pk=held.pk)
    assert (booking.total, booking.wallet_amount, booking.gateway_amount, booking.payment_mode) == (
        TOTAL_A1_A2,
        TOTAL_A1_A2,
        Decimal("0.00"),
        "wallet",
    )
    assert [m.subject for m in mail.outbox] == [f"Your booking {held.reference} is confirmed"]


def test_wallet_and_gateway_share_the_bill(as_alice, alice, held, show, sandbox):
    fund(alice, 100)
    data = pay(as_alice, held, use_wallet=True).json()
    assert data["state"] == "payment_pending"
    assert data["gateway"] == "sandbox"
    assert data["currency"] == "INR"
    assert data["amount"] == int((TOTAL_A1_A2 - 100) * 100)  # paise
    assert data["checkout_url"] == f"/payments/sandbox/{data['order_id']}/"
    assert data["key_id"]
    assert ledger(alice)[-1] == ("booking_payment", Decimal("-100.00"))

    made = sandbox.pay(data["order_id"], succeed=True)
    response = callback(as_alice, sandbox, data["order_id"], made.payment_id)
    assert response.status_code == 302
    assert response["Location"] == f"/bookings/{held.reference}/"
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.CONFIRMED
    assert booking.payment_mode == "mixed"
    assert seat_states(show, "A1", "A2") == {"A1": SeatState.SOLD, "A2": SeatState.SOLD}
    payment = Payment.objects.get(booking=booking)
    assert (payment.status, payment.payment_id, payment.amount_paid) == (PaymentStatus.PAID, made.payment_id, TOTAL_A1_A2 - 100)
    assert Wallet.objects.get(user=alice).balance == Decimal("0.00")


def test_gateway_only_payment(as_alice, alice, held, sandbox):
    fund(alice, 100)
    data = pay(as_alice, held, use_wallet=False).json()
    assert data["amount"] == int(TOTAL_A1_A2 * 100)
    made = sandbox.pay(data["order_id"])
    callback(as_alice, sandbox, data["order_id"], made.payment_id)
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")  # untouched
    assert len(mail.outbox) == 1


def test_pressing_pay_again_reuses_the_open_order(as_alice, held):
    first = pay(as_alice, held).json()
    second = pay(as_alice, held).json()
    assert first["order_id"] == second["order_id"]
    assert Payment.objects.filter(booking=held).count() == 1


def test_a_tampered_signature_changes_nothing(as_alice, held, sandbox):
    data = pay(as_alice, held).json()
    made = sandbox.pay(data["order_id"])
    signature = sandbox.sign_payment(data["order_id"], made.payment_id)
    tampered = ("0" if signature[0] != "0" else "1") + signature[1:]
    assert callback(as_alice, sandbox, data["order_id"], made.payment_id, signature=tampered).status_code == 400
    assert callback(as_alice, sandbox, data["order_id"], made.payment_id, signature="").status_code == 400
    assert Booking.objects.get(pk=held.pk).state == BookingState.PAYMENT_PENDING
    assert Payment.objects.get(booking=held).status == PaymentStatus.CREATED


def test_a_payment_for_another_order_is_refused(as_alice, alice, bob, held, show, sandbox):
    from tests.fixtures.checkout import signed_in
    from ticketing.services.holds import hold_seats

    theirs = hold_seats(bob, show, ["B1"]).booking
    their_order = pay(signed_in(bob), theirs).json()["order_id"]
    mine = pay(as_alice, held).json()["order_id"]
    made = sandbox.pay(their_order)
    # Correctly signed for *my* order id with their payment id: the gateway says it is theirs.
    response = callback(as_alice, sandbox, mine, made.payment_id)
    assert response.status_code == 400
    assert Booking.objects.get(pk=held.pk).state == BookingState.PAYMENT_PENDING
    assert not Payment.objects.filter(payment_id=made.payment_id).exists()


def test_a_failed_payment_keeps_the_hold_and_gives_the_wallet_part_back(as_alice, alice, held, show, sandbox):
    fund(alice, 100)
    data = pay(as_alice, held, use_wallet=True).json()
    failed = sandbox.pay(data["order_id"], succeed=False)
    response = as_alice.post(
        "/payments/razorpay/callback/",
        {
            "error[code]": "BAD_REQUEST_ERROR",
            "error[description]": "Payment declined by the bank.",
            "error[metadata]": f'{{"payment_id": "{failed.payment_id}", "order_id": "{data["order_id"]}"}}',
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.HELD  # the customer can try again
    assert seat_states(show, "A1", "A2") == {"A1": SeatState.HELD, "A2": SeatState.HELD}
    assert ledger(alice)[-2:] == [("booking_payment", Decimal("-100.00")), ("booking_release", Decimal("100.00"))]
    assert Payment.objects.get(booking=booking).status == PaymentStatus.FAILED
    page = as_alice.get(f"/bookings/{held.reference}/")
    assert "Payment declined by the bank." in page.content.decode()
    # …and the retry succeeds with a new order.
    retry = pay(as_alice, booking, use_wallet=True).json()
    assert retry["order_id"] != data["order_id"]
    callback(as_alice, sandbox, retry["order_id"], sandbox.pay(retry["order_id"]).payment_id)
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED
    assert Wallet.objects.get(user=alice).balance == Decimal("0.00")


def test_an_unsigned_failure_report_cannot_undo_a_real_payment(as_alice, held, sandbox):
    data = pay(as_alice, held).json()
    made = sandbox.pay(data["order_id"])  # captured at the gateway
    as_alice.post(
        "/payments/razorpay/callback/",
        {"error[code]": "X", "error[metadata]": f'{{"payment_id": "{made.payment_id}", "order_id": "{data["order_id"]}"}}'},
    )
    assert Booking.objects.get(pk=held.pk).state == BookingState.PAYMENT_PENDING
    callback(as_alice, sandbox, data["order_id"], made.payment_id)
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED


def test_the_same_webhook_twenty_times_confirms_once(client, as_alice, alice, held, sandbox):
    fund(alice, 100)
    data = pay(as_alice, held, use_wallet=True).json()
    made = sandbox.pay(data["order_id"])
    statuses = [webhook(client, sandbox, "payment.captured", made, event_id="evt_same").status_code for _ in range(20)]
    assert statuses == [200] * 20
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED
    assert [kind for kind, _ in ledger(alice)].count(TransactionKind.BOOKING_PAYMENT) == 1
    assert len(mail.outbox) == 1
    # Other events for the same payment (order.paid, a new delivery id) change nothing more.
    webhook(client, sandbox, "order.paid", made)
    webhook(client, sandbox, "payment.captured", made)
    callback(as_alice, sandbox, data["order_id"], made.payment_id)
    assert len(mail.outbox) == 1
    assert Payment.objects.filter(booking=held, status=PaymentStatus.PAID).count() == 1


def test_webhook_before_callback_and_callback_before_webhook(client, as_alice, alice, bob, held, show, sandbox):
    data = pay(as_alice, held).json()
    made = sandbox.pay(data["order_id"])
    assert webhook(client, sandbox, "payment.captured", made).status_code == 200
    response = callback(as_alice, sandbox, data["order_id"], made.payment_id)
    assert response.status_code == 302
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED
    assert len(mail.outbox) == 1


def test_a_webhook_with_a_bad_signature_is_refused(client, as_alice, held, sandbox):
    data = pay(as_alice, held).json()
    made = sandbox.pay(data["order_id"])
    body, headers = sandbox.webhook_payload("payment.captured", made)
    response = client.post(
        "/payments/razorpay/webhook/",
        body.replace(b'"captured"', b'"captured" '),
        content_type="application/json",
        HTTP_X_RAZORPAY_SIGNATURE=headers["X-Razorpay-Signature"],
        HTTP_X_RAZORPAY_EVENT_ID="evt_x",
    )
    assert response.status_code == 400
    response = client.post("/payments/razorpay/webhook/", body, content_type="application/json", HTTP_X_RAZORPAY_EVENT_ID="e")
    assert response.status_code == 400
    assert Booking.objects.get(pk=held.pk).state == BookingState.PAYMENT_PENDING


def test_an_amount_mismatch_is_refunded_and_flagged(as_alice, held, sandbox):
    data = pay(as_alice, held).json()
    made = sandbox.pay(data["order_id"], amount=100)  # ₹1 instead of the order's amount
    callback(as_alice, sandbox, data["order_id"], made.payment_id)
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state != BookingState.CONFIRMED
    assert booking.needs_attention
    refund = booking.refunds.get()
    assert (refund.destination, refund.amount, refund.status) == ("source", Decimal("1.00"), "processed")


def test_the_gateway_timing_out_keeps_the_hold_and_a_retry_succeeds(monkeypatch, as_alice, alice, held, sandbox):
    from ticketing.payments.sandbox import SandboxGateway

    fund(alice, 100)
    real = SandboxGateway.create_order

    def down(self, *args, **kwargs):
        raise GatewayError("The payment service is not answering. Your seats are still held; please try again.", retryable=True)

    monkeypatch.setattr(SandboxGateway, "create_order", down)
    response = pay(as_alice, held, use_wallet=True)
    assert response.status_code == 503
    assert "still held" in response.json()["detail"]
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.HELD
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")
    monkeypatch.setattr(SandboxGateway, "create_order", real)
    assert pay(as_alice, held, use_wallet=True).json()["state"] == "payment_pending"


def test_paying_for_someone_elses_booking_is_404(bob, held):
    from tests.fixtures.checkout import signed_in

    assert pay(signed_in(bob), held).status_code == 404
    assert Booking.objects.get(pk=held.pk).state == BookingState.HELD


def test_paying_after_the_hold_ran_out_is_refused(clock, as_alice, held):
    from datetime import timedelta

    clock.shift(timedelta(minutes=11))
    response = pay(as_alice, held)
    assert response.status_code == 400
    assert "run out" in response.json()["detail"]


def test_wallet_short_of_the_total_with_wallet_only_is_not_possible(as_alice, alice, held):
    fund(alice, 50)
    data = pay(as_alice, held, use_wallet=True).json()
    assert data["state"] == "payment_pending"
    assert data["amount"] == int((TOTAL_A1_A2 - 50) * 100)


def test_the_booking_page_offers_the_wallet_then_shows_each_state(as_alice, alice, held, sandbox):
    fund(alice, 100)
    html = as_alice.get(f"/bookings/{held.reference}/").content.decode()
    assert "Use my wallet (₹100.00 available)" in html
    data = pay(as_alice, held, use_wallet=True).json()
    html = as_alice.get(f"/bookings/{held.reference}/").content.decode()
    assert "waiting for your payment" in html and "Continue to payment" in html
    callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"]).payment_id)
    html = as_alice.get(f"/bookings/{held.reference}/").content.decode()
    assert "Your booking is <strong>confirmed</strong>" in html
    assert "Cancel the booking and refund ₹" in html and "refunds ₹" in html and "to your Marquee wallet." in html
    assert "Your booking is confirmed." in html  # the message from the callback
