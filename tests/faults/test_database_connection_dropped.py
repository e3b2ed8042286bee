"""The database connection dropping inside ``finalize_payment`` (PostgreSQL, real commits).

A step inside the finalizer's locked transaction is wrapped so that, before it runs, a second
psycopg connection ends the first one's server session (``pg_terminate_backend``, waiting until
it is gone): the next statement — a query of that step, or the COMMIT — fails, as it would if
PostgreSQL restarted or the network dropped. Nothing of the transaction may survive, the caller
gets an error rather than a half-confirmed booking, and once the connection is re-made a retry
(the callback again, the webhook's task again, or the reconcile task) confirms exactly once.
"""

from datetime import timedelta
from decimal import Decimal

import psycopg
import pytest
from django.core import mail
from django.db import DatabaseError, close_old_connections, connection
from django.test import Client

from tests.faults.conftest import postgres_only
from tests.fixtures.checkout import committed, fund, pay, webhook
from ticketing.models import (
    Booking,
    BookingState,
    Payment,
    PaymentEvent,
    PaymentStatus,
    SeatState,
    SentEmail,
    ShowSeat,
    Ticket,
)
from ticketing.services import finalize
from ticketing.services.reconcile import QUIET
from ticketing.tasks import reconcile_payments_task
from wallet.models import TransactionKind, Wallet, WalletTransaction

pytestmark = [*postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The steps of the finalizer's transaction, in order, with what has been written before each.
STEPS = {
    "_wallet_part_in": "the payment is marked paid; the seats are not sold yet",
    "issue_tickets": "the seats are sold and the booking is confirmed; no tickets yet",
    "notify": "everything is written; the next statement is the COMMIT",
}


def end_this_session() -> None:
    """End this connection's server session from another connection and wait until it is gone."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as other:
        assert other.execute("SELECT pg_terminate_backend(%s, 10000)", [pid]).fetchone()[0] is True


def drop_the_connection_at(monkeypatch, step: str) -> list:
    """The first time `step` is reached inside the finalizer, the connection drops."""
    real = getattr(finalize, step)
    dropped = []

    def interrupted(*args, **kwargs):
        if not dropped:
            assert connection.in_atomic_block  # inside the locked transaction
            dropped.append(step)
            end_this_session()
        return real(*args, **kwargs)

    monkeypatch.setattr(finalize, step, interrupted)
    return dropped


@pytest.fixture
def pending(as_alice, alice, held, sandbox):
    """Alice pays ₹100 from her wallet (taken at checkout) and the rest in the sandbox."""
    fund(alice, 100)
    data = pay(as_alice, held, use_wallet=True).json()
    assert data["state"] == "payment_pending"
    return data["order_id"], sandbox.pay(data["order_id"])


def callback_fields(sandbox, order_id, made) -> dict:
    return {
        "razorpay_order_id": order_id,
        "razorpay_payment_id": made.payment_id,
        "razorpay_signature": sandbox.sign_payment(order_id, made.payment_id),
    }


def assert_nothing_committed(alice, held):
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.PAYMENT_PENDING and booking.confirmed_at is None
    assert set(ShowSeat.objects.filter(booking=held).values_list("state", flat=True)) == {SeatState.HELD}
    assert ShowSeat.objects.filter(show=held.show, state=SeatState.SOLD).count() == 0
    payment = Payment.objects.get(booking=held)
    assert (payment.status, payment.payment_id, payment.amount_paid, payment.paid_at) == (
        PaymentStatus.CREATED,
        None,
        None,
        None,
    )
    # Only the checkout's wallet row: nothing written by the finalizer survived.
    assert list(WalletTransaction.objects.filter(booking=held).values_list("kind", "amount")) == [
        (TransactionKind.BOOKING_PAYMENT, Decimal("-100.00"))
    ]
    assert Wallet.objects.get(user=alice).balance == Decimal("0.00")
    assert not Ticket.objects.filter(booking=held).exists()
    assert not SentEmail.objects.filter(booking=held).exists()
    assert not booking.refunds.exists()
    assert mail.outbox == []


def assert_confirmed_once(alice, held, made):
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.CONFIRMED
    assert set(ShowSeat.objects.filter(booking=held).values_list("state", flat=True)) == {SeatState.SOLD}
    assert list(Payment.objects.filter(booking=held).values_list("status", "payment_id")) == [
        (PaymentStatus.PAID, made.payment_id)
    ]
    assert list(WalletTransaction.objects.filter(booking=held).values_list("kind", "amount")) == [
        (TransactionKind.BOOKING_PAYMENT, Decimal("-100.00"))
    ]
    assert Wallet.objects.get(user=alice).balance == Decimal("0.00")
    assert sorted(Ticket.objects.filter(booking=held).values_list("seat_label", flat=True)) == ["A1", "A2"]
    assert list(SentEmail.objects.filter(booking=held).values_list("key", "status")) == [
        (f"booking_confirmed:{held.reference}", "sent")
    ]
    assert [m.subject for m in mail.outbox] == [f"Your booking {held.reference} is confirmed"]
    assert not booking.refunds.exists()


@pytest.mark.parametrize("step", list(STEPS))
def test_a_dropped_connection_in_the_callbacks_finalizer_commits_nothing_and_the_callback_again_confirms_once(
    monkeypatch, alice, held, sandbox, pending, step
):
    order_id, made = pending
    dropped = drop_the_connection_at(monkeypatch, step)
    browser = Client(raise_request_exception=False)
    browser.force_login(alice)

    response = browser.post("/payments/razorpay/callback/", callback_fields(sandbox, order_id, made))

    assert dropped == [step]
    assert response.status_code == 500  # an error page, never a "confirmed" one
    close_old_connections()  # what the next request (or task) does first
    assert_nothing_committed(alice, held)

    # The customer reloads (or the browser re-posts): the payment is finalized, once.
    response = browser.post("/payments/razorpay/callback/", callback_fields(sandbox, order_id, made))
    assert response.status_code == 302 and response.url == f"/bookings/{held.reference}/"
    assert_confirmed_once(alice, held, made)
    # … and the webhook that follows is the idempotent answer.
    assert webhook(Client(), sandbox, "payment.captured", made, event_id="evt_after").status_code == 200
    assert PaymentEvent.objects.get(event_id="evt_after").result == "already_confirmed"
    assert_confirmed_once(alice, held, made)


def test_the_finalizer_itself_raises_a_database_error_not_a_result(monkeypatch, alice, held, pending):
    order_id, made = pending
    drop_the_connection_at(monkeypatch, "issue_tickets")
    with pytest.raises(DatabaseError):
        finalize.finalize_payment(order_id=order_id, payment_id=made.payment_id, source="callback")
    close_old_connections()
    assert_nothing_committed(alice, held)
    assert finalize.finalize_payment(order_id=order_id, payment_id=made.payment_id, source="callback").outcome == "confirmed"
    assert finalize.finalize_payment(order_id=order_id, payment_id=made.payment_id, source="webhook").outcome == (
        "already_confirmed"
    )
    assert_confirmed_once(alice, held, made)


def test_a_dropped_connection_under_the_webhooks_task_is_retried_by_the_queue(
    monkeypatch, cluster, clock, alice, held, sandbox, pending
):
    _, made = pending
    response = webhook(Client(), sandbox, "payment.captured", made, event_id="evt_dropped")
    assert (response.status_code, response.json()) == (200, {"status": "accepted"})  # stored, answered at once
    event = PaymentEvent.objects.get(event_id="evt_dropped")
    drop_the_connection_at(monkeypatch, "issue_tickets")

    [(name, result, success)] = cluster.run()

    assert (name, success) == (f"webhook:{event.pk}", False)
    assert "terminat" in result or "closed" in result  # the server ended the session
    close_old_connections()  # a django-q2 worker does this before its next task
    assert_nothing_committed(alice, held)
    event.refresh_from_db()
    assert event.result == ""
    assert cluster.waiting() == [f"webhook:{event.pk}"]  # not acknowledged

    clock.shift(timedelta(seconds=120))
    assert cluster.run() == [(f"webhook:{event.pk}", "confirmed", True)]
    assert cluster.run() == [(f"booking_confirmed:{held.reference}", "sent", True)]  # queued by the confirmation
    assert cluster.waiting() == []
    event.refresh_from_db()
    assert event.result == "confirmed"
    assert_confirmed_once(alice, held, made)


def test_after_a_dropped_connection_the_reconcile_task_confirms_once(monkeypatch, clock, alice, held, sandbox, pending):
    order_id, made = pending
    drop_the_connection_at(monkeypatch, "notify")
    browser = Client(raise_request_exception=False)
    browser.force_login(alice)
    assert browser.post("/payments/razorpay/callback/", callback_fields(sandbox, order_id, made)).status_code == 500
    close_old_connections()
    assert_nothing_committed(alice, held)

    clock.shift(QUIET + timedelta(seconds=1))  # the customer never came back; no webhook came
    with committed():
        assert reconcile_payments_task()["confirmed"] == 1
    assert_confirmed_once(alice, held, made)
    assert reconcile_payments_task()["confirmed"] == 0
    assert_confirmed_once(alice, held, made)
