"""Razorpay timing out or answering 5xx during a refund: the refund stays pending where staff
can see it, the queue and the reconcile task send it again with the same idempotency key until
Razorpay answers, and then it is processed once — never a second refund."""

from datetime import timedelta
from unittest.mock import ANY

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_q.conf import Conf

from core.money import to_paise
from tests.factories import make_user
from tests.fixtures.checkout import TOTAL_A1_A2, committed, pay
from ticketing.models import Booking, BookingState, Refund, RefundStatus
from ticketing.payments.razorpay_gateway import NOT_ANSWERING
from ticketing.services.refunds import process_refund
from ticketing.tasks import process_refund_task, reconcile_payments_task

pytestmark = pytest.mark.django_db
RETRY = timedelta(seconds=Conf.RETRY)  # Q_CLUSTER["retry"]: an unacknowledged task is handed out again


@pytest.fixture
def finance(db):
    user = make_user(username="fin", email="fin@example.com")
    user.groups.add(Group.objects.get(name="Finance"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def paid(razorpay, as_alice, held):
    """Alice's booking, paid in full through Razorpay and confirmed by the callback."""
    order_id = pay(as_alice, held).json()["order_id"]
    made = razorpay.pay(order_id)
    with committed():
        response = as_alice.post("/payments/razorpay/callback/", razorpay.callback_fields(order_id, made["id"]))
    assert response.status_code == 302
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.CONFIRMED
    return booking, made


def cancel_to_source(finance, booking):
    with committed():
        response = finance.post(
            reverse("bookings:cancel", args=[booking.pk]), {"destination": "source", "reason": "Projector broke"}
        )
    assert response.status_code == 302
    return Refund.objects.get(booking=booking)


def idempotency_keys(razorpay):
    return [call.request.headers["X-Refund-Idempotency"] for call in razorpay.calls_to("POST", "/refund")]


def inspect(finance, booking):
    response = finance.get(reverse("bookings:inspect", args=[booking.pk]))
    assert response.status_code == 200
    return response


def refund_runs(results):
    return [(result, success) for name, result, success in results if name.startswith("refund:")]


@pytest.mark.parametrize("fault", ["timeout", 502, 503])
def test_a_refund_during_an_outage_stays_pending_and_the_queue_sends_it_once_when_the_gateway_answers(
    cluster, clock, razorpay, finance, paid, fault
):
    booking, made = paid
    razorpay.fail("/refund", *[fault] * 6)  # two deliveries' worth of tries (1 + 2 retries each)

    refund = cancel_to_source(finance, booking)
    assert f"refund:{refund.idempotency_key}" in cluster.waiting()  # queued after the commit

    # The worker runs the task … and Razorpay is down: the task fails and stays in the queue.
    assert refund_runs(cluster.run()) == [(ANY, False)]
    assert Booking.objects.get(pk=booking.pk).state == BookingState.REFUNDED
    refund.refresh_from_db()
    assert (refund.status, refund.attempts, refund.last_error, refund.gateway_refund_id) == (
        RefundStatus.PENDING,
        1,
        NOT_ANSWERING,
        "",
    )
    assert (refund.destination, refund.amount, refund.payment.payment_id) == ("source", TOTAL_A1_A2, made["id"])
    assert cluster.waiting() == [f"refund:{refund.idempotency_key}"]
    # Staff see it pending on the booking's admin page, with why.
    page = inspect(finance, booking)
    assert [(r.pk, r.status, r.attempts) for r in page.context["refunds"]] == [(refund.pk, "pending", 1)]
    assert f"Pending: {NOT_ANSWERING}" in page.content.decode()

    # Not handed out again before the queue's retry time; then handed out, and Razorpay is still down.
    assert cluster.run() == []
    clock.shift(RETRY)
    assert refund_runs(cluster.run()) == [(ANY, False)]
    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == (RefundStatus.PENDING, 2)
    assert razorpay.refunds == {}

    # Razorpay answers again: the next delivery sends it, and the queue is done with it.
    clock.shift(RETRY)
    assert refund_runs(cluster.run()) == [("processed", True)]
    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == (RefundStatus.PROCESSED, 3)
    assert refund.gateway_refund_id == razorpay.refunds[refund.idempotency_key]["id"]
    assert razorpay.refunds[refund.idempotency_key]["amount"] == to_paise(TOTAL_A1_A2)
    assert cluster.waiting() == []

    # Later reconcile runs, or a stray delivery of the task, do nothing more.
    assert reconcile_payments_task()["refunds"] == 0
    assert process_refund_task(refund.pk) == "nothing to do"
    assert len(razorpay.refunds) == 1
    assert idempotency_keys(razorpay) == [refund.idempotency_key] * 7  # 3 tries × 2 failed deliveries, then 1
    page = inspect(finance, booking)
    assert [r.status for r in page.context["refunds"]] == ["processed"]


def test_the_reconcile_task_sends_a_pending_refund_and_the_queues_retry_then_finds_it_done(
    cluster, clock, razorpay, finance, paid
):
    booking, _ = paid
    razorpay.fail("/refund", "timeout", 503, "reset")
    refund = cancel_to_source(finance, booking)
    assert refund_runs(cluster.run()) == [(ANY, False)]

    assert reconcile_payments_task()["refunds"] == 1  # the 5-minute schedule got there first
    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == (RefundStatus.PROCESSED, 2)

    clock.shift(RETRY)
    assert refund_runs(cluster.run()) == [("nothing to do", True)]
    assert cluster.waiting() == []
    assert len(razorpay.refunds) == 1
    assert idempotency_keys(razorpay) == [refund.idempotency_key] * 4


def test_a_refund_razorpay_made_but_whose_answer_was_lost_is_not_made_twice(razorpay, finance, paid):
    """The worst timeout: Razorpay refunded, the answer never came back. Every retry carries the
    same key, so Razorpay answers with the refund it already made."""
    booking, _ = paid
    razorpay.fail("/refund", "after:timeout", "after:timeout", "after:timeout")

    refund = cancel_to_source(finance, booking)

    refund.refresh_from_db()
    assert refund.status == RefundStatus.PENDING
    assert len(razorpay.refunds) == 1  # Razorpay has it, we do not know yet

    assert process_refund(refund.pk) == "processed"
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PROCESSED
    assert len(razorpay.refunds) == 1
    assert refund.gateway_refund_id == razorpay.refunds[refund.idempotency_key]["id"]
    assert idempotency_keys(razorpay) == [refund.idempotency_key] * 4


def test_two_pending_refunds_keep_their_own_keys_through_the_retries(razorpay, finance, as_alice, paid, bob, show):
    """Keys belong to refunds, not to attempts or to the order the retries run in."""
    from tests.fixtures.checkout import signed_in
    from ticketing.services.holds import hold_seats

    booking, _ = paid
    other = hold_seats(bob, show, ["B1"]).booking
    as_bob = signed_in(bob)
    order_id = pay(as_bob, other).json()["order_id"]
    made = razorpay.pay(order_id)
    with committed():
        as_bob.post("/payments/razorpay/callback/", razorpay.callback_fields(order_id, made["id"]))
    razorpay.fail("/refund", *["timeout"] * 6)
    first, second = cancel_to_source(finance, booking), cancel_to_source(finance, Booking.objects.get(pk=other.pk))
    assert {first.status, second.status} == {RefundStatus.PENDING}

    assert reconcile_payments_task()["refunds"] == 2
    assert Refund.objects.filter(status=RefundStatus.PROCESSED).count() == 2
    sent = [
        (call.request.url.split("/payments/")[1].split("/")[0], key)
        for call, key in zip(razorpay.calls_to("POST", "/refund"), idempotency_keys(razorpay), strict=True)
    ]
    first.refresh_from_db()
    second.refresh_from_db()
    assert {key for pay_id, key in sent if pay_id == first.payment.payment_id} == {first.idempotency_key}
    assert {key for pay_id, key in sent if pay_id == second.payment.payment_id} == {second.idempotency_key}
    assert sorted(razorpay.refunds) == sorted([first.idempotency_key, second.idempotency_key])


def test_a_gateway_down_for_good_hands_the_refund_to_staff(razorpay, finance, paid):
    from ticketing.services.refunds import MAX_ATTEMPTS
    from ticketing.tasks import RefundNotSent

    booking, _ = paid
    razorpay.fail("/refund", *[503] * 3 * MAX_ATTEMPTS)
    refund = cancel_to_source(finance, booking)  # the first try ran after the commit
    for _ in range(MAX_ATTEMPTS - 2):
        with pytest.raises(RefundNotSent):  # failed: the queue keeps the task
            process_refund_task(refund.pk)
    assert process_refund_task(refund.pk) == "failed"  # done trying: the queue lets it go
    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == (RefundStatus.FAILED, MAX_ATTEMPTS)
    booking.refresh_from_db()
    assert booking.needs_attention and NOT_ANSWERING in booking.attention_note
    assert reconcile_payments_task()["refunds"] == 0
    assert razorpay.refunds == {}
    assert "Failed: " in inspect(finance, booking).content.decode()
