"""The web worker killed in the middle of Pay (POST /api/bookings/{ref}/pay): after the wallet
part was taken and the booking moved to payment_pending, before the gateway's order was
recorded (gunicorn's worker timeout, an OOM kill). Nothing runs after the kill, so the booking
is left payment_pending with the wallet part taken and no Payment row.

* Pay again while the first request may still be talking to the gateway: a clear 409, nothing
  changes. Once the checkout is older than the setup window (gateway deadline + margin, longer
  than any request can live), Pay again takes it over: the wallet part is given back and taken
  once more (the ledger stays the balance's history), and a gateway order is opened.
* The reconcile task settles such a checkout as soon as it is older than the window: wallet
  part back, booking held again (or expired if its hold ended).
* Two Pay presses at once never open two orders nor debit twice, and a request that outlived
  the window cannot attach its order (nor give back a wallet part) to a booking that moved on.
"""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from core.money import to_paise
from tests.concurrency.test_promo_race import run_together
from tests.faults.conftest import postgres_only
from tests.faults.test_email_faults import WorkerKilled
from tests.fixtures.checkout import TOTAL_A1_A2, committed, fund, pay, signed_in
from ticketing.models import Booking, BookingState, Payment, PaymentStatus
from ticketing.payments.base import GatewayError
from ticketing.payments.razorpay_gateway import RazorpayGateway
from ticketing.services.checkout import setup_window
from ticketing.tasks import reconcile_payments_task
from wallet.models import TransactionKind, Wallet, WalletTransaction

pytestmark = pytest.mark.django_db

STILL_SETTING_UP = {
    "detail": "Your payment is still being set up — try again in a few seconds.",
    "code": "checkout_in_progress",
}


def during_order_creation(monkeypatch, first):
    """The first order the app asks Razorpay for runs ``first(real)`` instead (``real`` makes
    the order); every later one is made as usual."""
    real = RazorpayGateway.create_order
    calls = []

    def create_order(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            return first(lambda: real(self, *args, **kwargs))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(RazorpayGateway, "create_order", create_order)
    return calls


def press_pay(client, booking):
    """Pay pressed from inside another request (no on-commit capture of its own)."""
    return client.post(f"/api/bookings/{booking.reference}/pay", {"use_wallet": True}, content_type="application/json")


def killed(real):
    raise WorkerKilled


def ledger(booking) -> list:
    return list(WalletTransaction.objects.filter(booking=booking).order_by("pk").values_list("kind", "amount"))


def assert_ledger_is_the_balance(user):
    wallet = Wallet.objects.get(user=user)
    assert wallet.balance == WalletTransaction.objects.filter(wallet=wallet).aggregate(total=Sum("amount"))["total"]


def assert_taken_given_back_and_taken_again(user, booking):
    """The abandoned checkout's wallet part back, the new checkout's taken: once, net."""
    assert ledger(booking) == [
        (TransactionKind.BOOKING_PAYMENT, Decimal("-100.00")),
        (TransactionKind.BOOKING_RELEASE, Decimal("100.00")),
        (TransactionKind.BOOKING_PAYMENT, Decimal("-100.00")),
    ]
    assert Wallet.objects.get(user=user).balance == Decimal("0.00")
    assert_ledger_is_the_balance(user)


def killed_after_the_wallet_debit(monkeypatch, as_alice, alice, held):
    """Alice (₹100 in her wallet) presses Pay; the worker dies waiting for Razorpay."""
    fund(alice, 100)
    during_order_creation(monkeypatch, killed)
    with pytest.raises(WorkerKilled):
        pay(as_alice, held, use_wallet=True)
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.PAYMENT_PENDING
    assert Wallet.objects.get(user=alice).balance == Decimal("0.00")
    assert ledger(held) == [(TransactionKind.BOOKING_PAYMENT, Decimal("-100.00"))]
    assert not Payment.objects.filter(booking=held).exists()
    return booking


def test_pay_again_after_a_kill_waits_out_the_window_then_opens_one_order_and_takes_the_wallet_part_once(
    monkeypatch, clock, razorpay, as_alice, alice, held
):
    stuck = killed_after_the_wallet_debit(monkeypatch, as_alice, alice, held)

    # At once (the first request might still be waiting for Razorpay): wait, nothing changes.
    clock.shift(setup_window() - timedelta(seconds=1))
    response = pay(as_alice, held, use_wallet=True)
    assert (response.status_code, response.json()) == (409, STILL_SETTING_UP)
    assert Booking.objects.get(pk=held.pk).updated_at == stuck.updated_at
    assert ledger(held) == [(TransactionKind.BOOKING_PAYMENT, Decimal("-100.00"))]
    assert razorpay.orders == {} and not Payment.objects.filter(booking=held).exists()

    # Past the window no request can still be opening it: Pay takes over.
    clock.shift(timedelta(seconds=2))
    response = pay(as_alice, held, use_wallet=True)

    assert response.status_code == 200
    data = response.json()
    assert data["state"] == "payment_pending"
    assert data["amount"] == razorpay.orders[data["order_id"]]["amount"] == to_paise(TOTAL_A1_A2 - 100)
    assert list(razorpay.orders) == [data["order_id"]]
    payment = Payment.objects.get(booking=held)
    assert (payment.order_id, payment.status, payment.amount) == (data["order_id"], PaymentStatus.CREATED, TOTAL_A1_A2 - 100)
    assert_taken_given_back_and_taken_again(alice, held)
    assert Booking.objects.get(pk=held.pk).held_until == held.held_until  # the hold is not lengthened

    # Pressing Pay again now is the same order; paying it confirms, the wallet part taken once.
    assert pay(as_alice, held, use_wallet=True).json()["order_id"] == data["order_id"]
    made = razorpay.pay(data["order_id"])
    with committed():
        response = as_alice.post("/payments/razorpay/callback/", razorpay.callback_fields(data["order_id"], made["id"]))
    assert response.status_code == 302
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED
    assert Wallet.objects.get(user=alice).balance == Decimal("0.00")
    assert sum(amount for _, amount in ledger(held)) == Decimal("-100.00")
    assert_ledger_is_the_balance(alice)


def test_the_reconcile_task_settles_a_checkout_killed_before_its_order_once_older_than_the_window(
    monkeypatch, clock, razorpay, as_alice, alice, held
):
    killed_after_the_wallet_debit(monkeypatch, as_alice, alice, held)

    clock.shift(setup_window() - timedelta(seconds=1))
    assert reconcile_payments_task()["abandoned"] == 0  # its request may still be running
    assert Booking.objects.get(pk=held.pk).state == BookingState.PAYMENT_PENDING

    clock.shift(timedelta(seconds=2))
    with committed():
        assert reconcile_payments_task()["abandoned"] == 1

    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.HELD and booking.held_until == held.held_until
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")
    assert ledger(held) == [
        (TransactionKind.BOOKING_PAYMENT, Decimal("-100.00")),
        (TransactionKind.BOOKING_RELEASE, Decimal("100.00")),
    ]
    assert_ledger_is_the_balance(alice)
    assert reconcile_payments_task()["abandoned"] == 0  # nothing more on the next run
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")

    # The customer comes back to a booking they can pay.
    response = pay(as_alice, held, use_wallet=True)
    assert response.status_code == 200 and response.json()["state"] == "payment_pending"
    assert Payment.objects.filter(booking=held).count() == 1
    assert Wallet.objects.get(user=alice).balance == Decimal("0.00")


def test_the_reconcile_task_expires_an_abandoned_checkout_whose_hold_ended(monkeypatch, clock, razorpay, as_alice, alice, held):
    killed_after_the_wallet_debit(monkeypatch, as_alice, alice, held)
    clock.move_to(held.held_until + timedelta(seconds=1))

    with committed():
        assert reconcile_payments_task()["abandoned"] == 1

    assert Booking.objects.get(pk=held.pk).state == BookingState.EXPIRED
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")
    assert_ledger_is_the_balance(alice)
    assert pay(as_alice, held, use_wallet=True).status_code == 400  # the seats must be chosen again


def test_a_second_pay_while_the_first_is_opening_the_order_is_told_to_wait_and_changes_nothing(
    monkeypatch, razorpay, as_alice, alice, held
):
    fund(alice, 100)
    second = {}

    def first(real):
        second["response"] = press_pay(as_alice, held)  # the customer presses Pay again
        second["ledger"] = ledger(held)
        return real()

    calls = during_order_creation(monkeypatch, first)

    response = pay(as_alice, held, use_wallet=True)

    assert (second["response"].status_code, second["response"].json()) == (409, STILL_SETTING_UP)
    assert second["ledger"] == [(TransactionKind.BOOKING_PAYMENT, Decimal("-100.00"))]
    assert response.status_code == 200 and response.json()["state"] == "payment_pending"
    assert len(calls) == 1 and list(razorpay.orders) == [response.json()["order_id"]]
    assert Payment.objects.filter(booking=held).count() == 1
    assert ledger(held) == [(TransactionKind.BOOKING_PAYMENT, Decimal("-100.00"))]
    assert Wallet.objects.get(user=alice).balance == Decimal("0.00")


@pytest.mark.parametrize("late_answer", ["order", "gateway error"])
def test_a_request_that_outlived_the_window_leaves_the_checkout_that_took_over_alone(
    monkeypatch, clock, razorpay, as_alice, alice, held, late_answer
):
    """A server without gunicorn's 30 s kill: the first request's order call outlives the
    window, a second Pay takes over meanwhile; the first's late answer changes nothing."""
    fund(alice, 100)
    second = {}

    def slow(real):
        clock.shift(setup_window() + timedelta(seconds=1))
        second["data"] = press_pay(as_alice, held).json()
        if late_answer == "gateway error":
            raise GatewayError("Razorpay did not answer in time", retryable=True)
        return real()

    during_order_creation(monkeypatch, slow)

    response = pay(as_alice, held, use_wallet=True)

    if late_answer == "order":
        assert (response.status_code, response.json()["code"]) == (409, "checkout_in_progress")
        assert len(razorpay.orders) == 2  # the first request's order is never recorded nor paid
    else:
        assert response.status_code == 503
    payment = Payment.objects.get(booking=held)
    assert (payment.order_id, payment.status) == (second["data"]["order_id"], PaymentStatus.CREATED)
    assert Booking.objects.get(pk=held.pk).state == BookingState.PAYMENT_PENDING
    assert_taken_given_back_and_taken_again(alice, held)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@postgres_only[0]  # skipped on SQLite
@postgres_only[1]
def test_two_pay_presses_at_once_on_their_own_connections_open_one_order_and_debit_once(monkeypatch, razorpay, alice, held):
    """Two browser tabs press Pay at the same instant. Whichever reaches Razorpay first waits
    there until the other has its answer: it must be the 409, or two orders would be opened."""
    fund(alice, 100)
    answered = threading.Event()
    real = RazorpayGateway.create_order

    def create_order(self, *args, **kwargs):
        answered.wait(timeout=10)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(RazorpayGateway, "create_order", create_order)
    tabs = [signed_in(alice), signed_in(alice)]

    def press(client):
        try:
            return press_pay(client, held)
        finally:
            answered.set()

    results = run_together([lambda c=c: press(c) for c in tabs])

    assert sorted(r.status_code for r in results) == [200, 409]
    [refused] = [r for r in results if r.status_code == 409]
    assert refused.json() == STILL_SETTING_UP
    assert len(razorpay.orders) == 1
    assert Payment.objects.filter(booking=held).count() == 1
    assert ledger(held) == [(TransactionKind.BOOKING_PAYMENT, Decimal("-100.00"))]
    assert Wallet.objects.get(user=alice).balance == Decimal("0.00")
