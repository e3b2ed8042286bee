"""Every 5 minutes: settle what the browser never reported back (docs/DESIGN.md §4).

Webhook events stored but never processed (the broker was down when they came) are processed
first. A checkout whose request died before it recorded its order is settled once older than
the setup window: wallet part back, held again (or expired). Bookings stuck in payment_pending
are checked against the gateway: a captured payment is finalized; an order with no payment
after the hold (plus a grace period) is closed and the wallet part given back. Refunds still
pending are sent again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from ticketing.models import Booking, BookingState, PaymentStatus, Refund, RefundDestination, RefundStatus
from ticketing.payments import get_gateway
from ticketing.payments.base import GatewayError
from ticketing.payments.webhooks import process_waiting_events
from ticketing.services.checkout import abandoned_checkouts, release_abandoned_checkout
from ticketing.services.finalize import finalize_payment, record_failure
from ticketing.services.refunds import process_refund
from ticketing.services.wallet_part import give_back_wallet_part

log = logging.getLogger("marquee.payments")
QUIET = timedelta(minutes=2)  # leave a checkout alone while the customer may still be paying
GRACE = timedelta(minutes=5)  # after the hold ends, before an unpaid order is closed


def reconcile_payments(now=None, gateway=None, limit: int = 200) -> dict:
    if gateway is None:
        gateway = get_gateway()
    now = now or timezone.now()
    counts = {"confirmed": 0, "closed": 0, "refunds": 0, "errors": 0, "abandoned": 0}
    counts["webhooks"] = process_waiting_events(now=now, limit=limit)
    for booking in abandoned_checkouts(now).order_by("updated_at")[:limit]:
        settled = release_abandoned_checkout(booking, now=now)
        if settled is not None and settled.state != BookingState.PAYMENT_PENDING:
            counts["abandoned"] += 1
    stuck = Booking.objects.filter(state=BookingState.PAYMENT_PENDING, updated_at__lt=now - QUIET).order_by("updated_at")
    for booking in stuck[:limit]:
        open_payments = list(booking.payments.filter(status=PaymentStatus.CREATED))
        try:
            for payment in open_payments:
                for made in gateway.order_payments(payment.order_id):
                    if made.captured:
                        if finalize_payment(order_id=payment.order_id, payment_id=made.payment_id, source="reconcile").confirmed:
                            counts["confirmed"] += 1
                        break
        except GatewayError as error:
            counts["errors"] += 1
            log.warning("reconcile: gateway error %s", error.message, extra={"booking": booking.reference})
            continue
        booking.refresh_from_db()
        if booking.state == BookingState.PAYMENT_PENDING and booking.held_until and booking.held_until < now - GRACE:
            for payment in booking.payments.filter(status=PaymentStatus.CREATED):
                record_failure(payment.pk, "No payment arrived before the hold ended.")
            give_back_wallet_part(booking, reason=f"Booking {booking.reference} was not paid in time", next_state="expired")
            counts["closed"] += 1
    pending = Refund.objects.filter(status=RefundStatus.PENDING, destination=RefundDestination.SOURCE).order_by("pk")
    for refund_id in pending.values_list("pk", flat=True)[:limit]:
        if process_refund(refund_id, gateway=gateway) == "processed":
            counts["refunds"] += 1
    return counts
