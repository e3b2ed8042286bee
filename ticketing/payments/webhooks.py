"""Razorpay webhooks: verify the signature on the raw body, store the event once by its id,
answer at once, and do the work in the queue (the finalizer may call the gateway)."""

from __future__ import annotations

import json
import logging

from django.db import IntegrityError, transaction

from ticketing.models import PaymentEvent
from ticketing.payments.base import GatewayError

log = logging.getLogger("marquee.payments")
HANDLED = {"payment.captured", "order.paid", "payment.failed", "refund.processed"}


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
    from django_q.tasks import async_task

    async_task("ticketing.tasks.process_webhook_task", event_pk, task_name=f"webhook:{event_pk}")


def _entity(data: dict, name: str) -> dict:
    payload = data.get("payload")
    if not isinstance(payload, dict):
        return {}
    wrapper = payload.get(name)
    entity = wrapper.get("entity") if isinstance(wrapper, dict) else None
    return entity if isinstance(entity, dict) else {}


def process_event(event_pk: int) -> str:
    """Act on a stored event (idempotent: the finalizer returns the first result on repeats)."""
    from ticketing.services.finalize import PaymentRejected, finalize_payment, payment_failed
    from ticketing.services.refunds import mark_refund_processed

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
    PaymentEvent.objects.filter(pk=event_pk).update(result=result[:255])
    log.info("webhook %s %s: %s", event.event, event.event_id, result)
    return result
