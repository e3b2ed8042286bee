"""Razorpay webhooks: verify the signature on the raw body, store the event once by its id,
answer at once, and do the work in the queue (the finalizer may call the gateway).

Storing is what acknowledges an event: if the broker is down the event is still answered 2xx
(Razorpay's re-delivery has the same id and would be ignored as a duplicate), and the reconcile
task processes events left unprocessed (``result`` still empty) after ``WAITING``.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ticketing.models import PaymentEvent
from ticketing.payments.base import GatewayError
from ticketing.services.finalize import PaymentRejected, finalize_payment, payment_failed
from ticketing.services.refunds import mark_refund_processed

log = logging.getLogger("marquee.payments")
HANDLED = {"payment.captured", "order.paid", "payment.failed", "refund.processed"}
WAITING = timedelta(minutes=2)  # a queued event is normally done in seconds; older ones were never queued


class BadWebhook(Exception):
    pass


def receive(body: bytes, signature: str, event_id: str, gateway) -> tuple[PaymentEvent | None, bool]:
    """Store a verified delivery. Returns (event, new); a repeated event id is (event, False)."""
    if not signature or not gateway.verify_webhook_signature(body, signature):
        raise BadWebhook("bad signature")
    if not event_id or len(event_id) > 64:
        raise BadWebhook("missing event id")
    try:
        data = json.loads(body)
    except ValueError:
        raise BadWebhook("body is not JSON") from None
    if not isinstance(data, dict):
        raise BadWebhook("body is not an object")
    event = str(data.get("event", ""))[:64]
    payment = _entity(data, "payment")
    order_id = str(payment.get("order_id") or _entity(data, "order").get("id") or "")[:64]
    try:
        with transaction.atomic():
            stored = PaymentEvent.objects.create(
                event_id=event_id, event=event, order_id=order_id, payment_id=str(payment.get("id") or "")[:64], payload=data
            )
    except IntegrityError:
        return PaymentEvent.objects.filter(event_id=event_id).first(), False
    if event in HANDLED:
        transaction.on_commit(lambda: _enqueue(stored.pk))
    return stored, True


def _enqueue(event_pk: int) -> None:
    """Queue the event's work. A broker that is down must not turn the stored event into a 500
    (a retry would be a duplicate): log it; the reconcile task picks the event up."""
    from django_q.tasks import async_task

    try:
        async_task("ticketing.tasks.process_webhook_task", event_pk, task_name=f"webhook:{event_pk}")
    except Exception:
        log.exception("webhook event %s stored but not queued; the reconcile task will process it", event_pk)


def _entity(data: dict, name: str) -> dict:
    payload = data.get("payload")
    if not isinstance(payload, dict):
        return {}
    wrapper = payload.get(name)
    entity = wrapper.get("entity") if isinstance(wrapper, dict) else None
    return entity if isinstance(entity, dict) else {}


def process_event(event_pk: int) -> str:
    """Act on a stored event (idempotent: the finalizer returns the first result on repeats)."""
    event = PaymentEvent.objects.filter(pk=event_pk).first()
    if event is None:
        return "missing"
    try:
        if event.event in ("payment.captured", "order.paid") and event.payment_id:
            result = finalize_payment(order_id=event.order_id, payment_id=event.payment_id, source="webhook").outcome
        elif event.event == "payment.failed" and event.payment_id:
            result = payment_failed(order_id=event.order_id, payment_id=event.payment_id).outcome
        elif event.event == "refund.processed":
            refund = _entity(event.payload, "refund")
            result = f"refunds marked {mark_refund_processed(str(refund.get('id', '')))}"
        else:
            result = "ignored"
    except PaymentRejected as error:
        result = f"rejected: {error.message}"
    except GatewayError as error:
        result = f"gateway error: {error.message}"  # the reconcile task settles it later
    # The first result stands: a worker and the reconcile task may both get to an event.
    PaymentEvent.objects.filter(pk=event_pk, result="").update(result=result[:255])
    log.info("webhook %s %s: %s", event.event, event.event_id, result)
    return result


def waiting_events(now=None):
    """Handled events still unprocessed after WAITING: their task was never queued (broker
    down) or died; the reconcile task processes them."""
    cutoff = (now or timezone.now()) - WAITING
    return PaymentEvent.objects.filter(result="", event__in=HANDLED, received_at__lt=cutoff)


def process_waiting_events(now=None, limit: int = 200) -> int:
    """Process what waiting_events finds, oldest first; safe while a worker has one too (the
    finalizer locks the booking and returns the first result). Returns how many were done."""
    done = 0
    for event_pk in waiting_events(now).order_by("received_at").values_list("pk", flat=True)[:limit]:
        try:
            process_event(event_pk)
        except Exception:  # one bad event must not stop the rest of the reconcile run
            log.exception("webhook event %s could not be processed; it is tried again next run", event_pk)
            continue
        done += 1
    return done
