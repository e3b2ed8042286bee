"""A Razorpay webhook arriving while the task broker is down (Redis unreachable).

The event is verified and stored, so the endpoint still answers 2xx at once (Razorpay's
re-delivery carries the same event id and is a duplicate: the stored row is the only copy);
the broker's failure is logged, and the reconcile task processes stored events left
unprocessed after ``WAITING``: the booking is confirmed once, the event marked with its result,
and a second run changes nothing. ``refund.processed`` goes the same way. An event whose task
is merely late (queue backlog) is safe to process from both sides: the first result stands.
"""

import json
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from tests.fixtures.checkout import committed, pay, webhook
from ticketing.models import Booking, BookingState, Payment, PaymentEvent, PaymentStatus, Refund, RefundDestination
from ticketing.payments.signatures import webhook_signature
from ticketing.payments.webhooks import WAITING
from ticketing.tasks import reconcile_payments_task

pytestmark = pytest.mark.django_db


def broker_down(*args, **kwargs):
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def paid_at_the_gateway(as_alice, held, sandbox):
    """Alice paid in the sandbox; neither the browser nor a webhook has reported back yet."""
    order_id = pay(as_alice, held).json()["order_id"]
    return sandbox.pay(order_id)


def assert_confirmed_once(held):
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.CONFIRMED
    assert Payment.objects.filter(booking=held, status=PaymentStatus.PAID).count() == 1
    assert booking.tickets.count() == 2
    assert not booking.refunds.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # autocommit, as the webhook view runs in production
def test_a_payment_webhook_while_the_broker_is_down_is_answered_stored_and_processed_by_the_reconcile_task(
    monkeypatch, caplog, cluster, clock, held, sandbox, paid_at_the_gateway
):
    made = paid_at_the_gateway
    razorpay = Client(raise_request_exception=False)  # what Razorpay sees: a status code
    with monkeypatch.context() as redis, caplog.at_level(logging.ERROR, logger="marquee.payments"):
        redis.setattr(cluster.broker, "enqueue", broker_down)
        response = webhook(razorpay, sandbox, "payment.captured", made, event_id="evt_broker_down")
        # Razorpay delivers it again (no 2xx seen, or its own retry): a duplicate, still 2xx.
        again = webhook(razorpay, sandbox, "payment.captured", made, event_id="evt_broker_down")

    assert (response.status_code, response.json()) == (200, {"status": "accepted"})
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    event = PaymentEvent.objects.get(event_id="evt_broker_down")
    assert (event.event, event.payment_id, event.result) == ("payment.captured", made.payment_id, "")
    assert f"webhook event {event.pk} stored but not queued" in caplog.text
    assert cluster.waiting() == []  # nothing reached the broker
    assert Booking.objects.get(pk=held.pk).state == BookingState.PAYMENT_PENDING

    clock.shift(WAITING - timedelta(seconds=1))  # a queued event would still be in flight
    assert reconcile_payments_task()["webhooks"] == 0
    assert Booking.objects.get(pk=held.pk).state == BookingState.PAYMENT_PENDING

    clock.shift(timedelta(seconds=2))
    counts = reconcile_payments_task()

    assert (counts["webhooks"], counts["confirmed"]) == (1, 0)  # by the stored event, not by asking the gateway
    event.refresh_from_db()
    assert event.result == "confirmed"
    assert_confirmed_once(held)
    assert cluster.waiting() == [f"booking_confirmed:{held.reference}"]  # the e-mail, queued once (Redis is back)

    assert reconcile_payments_task()["webhooks"] == 0  # nothing more on the next run
    event.refresh_from_db()
    assert event.result == "confirmed"
    assert_confirmed_once(held)
    assert cluster.waiting() == [f"booking_confirmed:{held.reference}"]


def refund_processed(sandbox, refund_id: str, payment_id: str, amount_paise: int) -> tuple[bytes, dict]:
    """Razorpay's refund.processed body and headers for this refund, signed as Razorpay signs."""
    body = json.dumps(
        {
            "entity": "event",
            "account_id": "acc_sandbox",
            "event": "refund.processed",
            "contains": ["refund", "payment"],
            "payload": {
                "refund": {
                    "entity": {
                        "id": refund_id,
                        "entity": "refund",
                        "amount": amount_paise,
                        "currency": "INR",
                        "payment_id": payment_id,
                        "status": "processed",
                    }
                },
                "payment": {"entity": {"id": payment_id, "entity": "payment", "status": "refunded"}},
            },
            "created_at": 1795000000,
        },
        separators=(",", ":"),
    ).encode()
    headers = {
        "HTTP_X_RAZORPAY_SIGNATURE": webhook_signature(body, sandbox.webhook_secret),
        "HTTP_X_RAZORPAY_EVENT_ID": "evt_refund_broker_down",
    }
    return body, headers


def test_a_refund_processed_webhook_while_the_broker_is_down_is_processed_by_the_reconcile_task(
    monkeypatch, cluster, clock, client, as_alice, held, sandbox, paid_at_the_gateway
):
    made = paid_at_the_gateway
    assert webhook(client, sandbox, "payment.captured", made).status_code == 200
    assert cluster.run()  # the broker is up: the payment is confirmed by its task
    payment = Payment.objects.get(booking=held, status=PaymentStatus.PAID)
    # A refund Razorpay accepted and has not reported done yet.
    refund = Refund.objects.create(
        booking=payment.booking,
        payment=payment,
        destination=RefundDestination.SOURCE,
        amount=Decimal("100.00"),
        reason="Goodwill",
        gateway_refund_id="rfnd_BrokerDown01",
    )
    body, headers = refund_processed(sandbox, refund.gateway_refund_id, made.payment_id, 10000)

    with monkeypatch.context() as redis, committed():
        redis.setattr(cluster.broker, "enqueue", broker_down)
        response = client.post("/payments/razorpay/webhook/", body, content_type="application/json", **headers)

    assert (response.status_code, response.json()) == (200, {"status": "accepted"})
    event = PaymentEvent.objects.get(event_id="evt_refund_broker_down")
    assert event.result == ""
    refund.refresh_from_db()
    assert refund.status == "pending"

    clock.shift(WAITING + timedelta(seconds=1))
    assert reconcile_payments_task()["webhooks"] == 1

    event.refresh_from_db()
    refund.refresh_from_db()
    assert (event.result, refund.status) == ("refunds marked 1", "processed")
    processed_at = refund.processed_at
    assert reconcile_payments_task()["webhooks"] == 0
    refund.refresh_from_db()
    assert (refund.status, refund.processed_at) == ("processed", processed_at)


def test_a_webhook_whose_task_is_only_late_is_processed_once_by_whichever_comes_first(
    cluster, clock, client, held, sandbox, paid_at_the_gateway
):
    """The broker took the task but the workers are backed up past WAITING: the reconcile task
    processes the event; when the worker gets to it, the first result stands."""
    made = paid_at_the_gateway
    assert webhook(client, sandbox, "payment.captured", made, event_id="evt_backlog").status_code == 200
    event = PaymentEvent.objects.get(event_id="evt_backlog")
    assert cluster.waiting() == [f"webhook:{event.pk}"]

    clock.shift(WAITING + timedelta(seconds=1))
    with committed():
        assert reconcile_payments_task()["webhooks"] == 1
    assert_confirmed_once(held)

    results = {name: result for name, result, success in cluster.run() if success}
    assert results[f"webhook:{event.pk}"] == "already_confirmed"
    event.refresh_from_db()
    assert event.result == "confirmed"  # the first result stands
    assert_confirmed_once(held)
    assert reconcile_payments_task()["webhooks"] == 0
