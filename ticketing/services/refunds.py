"""Refunds to the original payment method: recorded at once, sent by a retried task.

The Refund row (with its idempotency key) is written in the caller's transaction; the gateway
call happens after commit, outside any lock, and may be repeated safely: the gateway answers
a repeated key with the same refund. The reconcile task retries what is still pending.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.money import ZERO, to_paise
from ticketing.models import Booking, Payment, PaymentStatus, Refund, RefundDestination, RefundStatus
from ticketing.payments import get_gateway
from ticketing.payments.base import GatewayError
from wallet import services as wallet

log = logging.getLogger("marquee.payments")
# Tries before a refund is handed to staff (failed, needs attention). The queue tries a task up
# to Q_CLUSTER["max_attempts"] times, Q_CLUSTER["retry"] apart, and the reconcile task every 5
# minutes, so this allows for roughly 45 minutes of gateway outage.
MAX_ATTEMPTS = 12


def refund_to_source(booking: Booking, payment: Payment, amount, *, reason: str, by=None) -> Refund:
    """Record a gateway refund and send it after commit (call inside the booking's lock)."""
    refund = Refund.objects.create(
        booking=booking, payment=payment, destination=RefundDestination.SOURCE, amount=amount, reason=reason, created_by=by
    )
    log.info("refund recorded", extra={"booking": booking.reference, "refund": refund.idempotency_key})
    refund_id = refund.pk

    def enqueue():
        from django_q.tasks import async_task

        async_task("ticketing.tasks.process_refund_task", refund_id, task_name=f"refund:{refund.idempotency_key}")

    # robust: a broker that is down (or, with sync tasks, a refund the gateway did not take yet)
    # must not turn the committed change into an error; the reconcile task sends pending refunds.
    transaction.on_commit(enqueue, robust=True)
    return refund


def record_wallet_refund(booking: Booking, amount, *, reason: str, by=None) -> Refund:
    """A refund into the wallet is done the moment it is written (with its ledger row)."""
    wallet.refund_to_wallet(booking, amount, reason=reason, created_by=by)
    return Refund.objects.create(
        booking=booking,
        destination=RefundDestination.WALLET,
        amount=amount,
        reason=reason,
        status=RefundStatus.PROCESSED,
        processed_at=timezone.now(),
        created_by=by,
    )


def pay_back(
    booking: Booking, amount: Decimal, destination: str, *, reason: str, by=None, wallet_part: Decimal = ZERO
) -> Decimal:
    """Return ``amount`` of a cancelled booking (call inside its lock). To the wallet: all of
    it, as wallet credit. To the original payment method: the wallet's part (``wallet_part``,
    what the booking took from the wallet and no wallet refund returned yet) back to the wallet
    first, then the gateway payments up to what each has not refunded yet; anything over goes
    to the wallet. So a fee is kept from the gateway part first. Returns the sum."""
    if amount <= ZERO:
        return ZERO
    if destination == "wallet":
        record_wallet_refund(booking, amount, reason=reason, by=by)
        return amount
    returned = booking.refunds.filter(destination=RefundDestination.WALLET).aggregate(sum=Sum("amount"))["sum"] or ZERO
    to_wallet = min(max(ZERO, wallet_part - returned), amount)
    left = amount - to_wallet
    for payment in booking.payments.filter(status=PaymentStatus.PAID).order_by("pk"):
        refunded = payment.refunds.exclude(status=RefundStatus.FAILED).aggregate(sum=Sum("amount"))["sum"] or ZERO
        share = min(left, max(ZERO, (payment.amount_paid or ZERO) - refunded))
        if share > ZERO:
            refund_to_source(booking, payment, share, reason=reason, by=by)
            left -= share
    to_wallet += left
    if to_wallet > ZERO:
        record_wallet_refund(booking, to_wallet, reason=reason, by=by)
    return amount


def process_refund(refund_id: int, gateway=None) -> str:
    """Send one pending gateway refund. Safe to run any number of times."""
    refund = Refund.objects.select_related("payment", "booking").filter(pk=refund_id).first()
    if refund is None or refund.status != RefundStatus.PENDING or refund.destination != RefundDestination.SOURCE:
        return "nothing to do"
    if gateway is None:
        gateway = get_gateway()
    try:
        sent = gateway.refund(
            refund.payment.payment_id,
            to_paise(refund.amount),
            idempotency_key=refund.idempotency_key,
            notes={"booking": refund.booking.reference, "reason": refund.reason[:200]},
        )
    except GatewayError as error:
        with transaction.atomic():
            refund = Refund.objects.select_for_update().get(pk=refund_id)
            refund.attempts += 1
            refund.last_error = error.message
            if refund.attempts >= MAX_ATTEMPTS or not error.retryable:
                refund.status = RefundStatus.FAILED
                Booking.objects.filter(pk=refund.booking_id).update(
                    needs_attention=True, attention_note=f"Refund of ₹{refund.amount} failed: {error.message}"
                )
            refund.save(update_fields=["attempts", "last_error", "status"])
        log.warning("refund failed: %s", error.message, extra={"booking": refund.booking.reference})
        return "failed" if refund.status == RefundStatus.FAILED else "will retry"
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.status == RefundStatus.PENDING:
            refund.attempts += 1
            refund.gateway_refund_id = sent.refund_id
            refund.status = RefundStatus.PROCESSED
            refund.processed_at = timezone.now()
            refund.save(update_fields=["attempts", "gateway_refund_id", "status", "processed_at"])
    log.info("refund sent", extra={"booking": refund.booking.reference, "refund": sent.refund_id})
    return "processed"


def mark_refund_processed(gateway_refund_id: str) -> int:
    """Razorpay's refund.processed webhook: the refund reached the customer."""
    return Refund.objects.filter(gateway_refund_id=gateway_refund_id, status=RefundStatus.PENDING).update(
        status=RefundStatus.PROCESSED, processed_at=timezone.now()
    )


def refund_at_counter(booking: Booking, *, reason: str, by=None) -> Refund | None:
    """A counter sale cancelled outside its shift (by finance, or with its show): the money
    was taken at the counter, so it goes back there, never to a gateway or to the selling
    staff member's wallet. Recorded at once and flagged for the box office to hand back."""
    paid = booking.payments.filter(status=PaymentStatus.PAID, gateway="counter").first()
    if paid is None or not paid.amount_paid:
        return None
    refund = Refund.objects.create(
        booking=booking,
        payment=paid,
        destination=RefundDestination.COUNTER,
        amount=paid.amount_paid,
        reason=reason,
        status=RefundStatus.PROCESSED,
        processed_at=timezone.now(),
        created_by=by,
    )
    booking.needs_attention = True
    booking.attention_note = f"Hand ₹{paid.amount_paid} back at the box office: the customer paid at the counter ({paid.method})."
    booking.save(update_fields=["needs_attention", "attention_note", "updated_at"])
    return refund
