"""Tell the customer what happened to their booking — always after the commit, via the queue.

Side effects never run inside a locked transaction (DESIGN.md §3): notify() only registers an
on_commit hook that enqueues a django-q2 task, so a rolled-back change sends nothing.
"""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger("marquee.notifications")

KINDS = {
    "booking_confirmed": "Your booking {ref} is confirmed",
    "payment_failed": "Payment for {ref} did not go through",
    "late_payment_refunded": "Your payment for {ref} has been refunded",
    "booking_cancelled": "Booking {ref} is cancelled",
    "show_cancelled": "The show for booking {ref} is cancelled",
}


def notify(booking, kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown notification {kind}")
    booking_id = booking.pk

    def enqueue():
        from django_q.tasks import async_task

        async_task("ticketing.tasks.send_booking_email", booking_id, kind, task_name=f"{kind}:{booking.reference}")

    log.info("notification queued", extra={"booking": booking.reference, "kind": kind})
    transaction.on_commit(enqueue)
