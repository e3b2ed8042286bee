"""Sending one logged e-mail, exactly once even when its task runs twice or two workers race.

A worker claims the sent-log row with one conditional UPDATE (queued or failed, or a claim
older than LEASE left by a worker that died), sends, and marks it sent. An ESP failure marks
the row failed and re-raises, so django-q2 retries the task; housekeeping re-queues rows that
are still failed or stuck. Nothing here touches the booking: mail never breaks a booking.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from ticketing.mail.content import build_message
from ticketing.models import EmailStatus, SentEmail

log = logging.getLogger("marquee.notifications")
# Longer than the task timeout (Q_CLUSTER["timeout"]), so a live worker is never doubled.
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8


def message_id_for(key: str) -> str:
    """A stable Message-ID per sent-log row: if a worker dies between the ESP accepting the
    message and our marking it sent, the re-send carries the same id and mail clients that
    de-duplicate by Message-ID show it once."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@marquee.mail>"


def claim(key: str) -> bool:
    now = timezone.now()
    claimable = Q(status__in=[EmailStatus.QUEUED, EmailStatus.FAILED]) | Q(status=EmailStatus.SENDING, claimed_at__lt=now - LEASE)
    return bool(
        SentEmail.objects.filter(claimable, key=key, attempts__lt=MAX_ATTEMPTS).update(
            status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def deliver(key: str) -> str:
    """Send the logged e-mail `key` if nobody has; return what happened."""
    if not claim(key):
        return "not claimed"
    row = SentEmail.objects.select_related("booking", "user").get(key=key)
    try:
        message = build_message(row)
        if message is None:
            SentEmail.objects.filter(pk=row.pk).update(status=EmailStatus.SKIPPED, last_error="No e-mail address.")
            return "skipped"
        message.extra_headers["Message-ID"] = message_id_for(key)
        message.send()
    except Exception as exc:
        SentEmail.objects.filter(pk=row.pk).update(status=EmailStatus.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000])
        log.warning("e-mail %s failed: %s", key, exc, extra={"booking": getattr(row.booking, "reference", None)})
        raise
    status = getattr(message, "anymail_status", None)
    SentEmail.objects.filter(pk=row.pk).update(
        status=EmailStatus.SENT,
        sent_at=timezone.now(),
        to_email=message.to[0],
        subject=message.subject[:200],
        message_id=str(status.message_id) if status and status.message_id is not None else message_id_for(key),
        last_error="",
    )
    return "sent"


def retry_stale_emails(limit: int = 200) -> int:
    """Re-queue e-mails whose task failed for good or whose worker died (housekeeping)."""
    from django_q.tasks import async_task

    now = timezone.now()
    stale = (
        Q(status=EmailStatus.FAILED, updated_at__lt=now - timedelta(minutes=2))
        | Q(status=EmailStatus.QUEUED, created_at__lt=now - timedelta(minutes=10))
        | Q(status=EmailStatus.SENDING, claimed_at__lt=now - LEASE)
    )
    keys = list(SentEmail.objects.filter(stale, attempts__lt=MAX_ATTEMPTS).values_list("key", flat=True)[:limit])
    for key in keys:
        async_task("ticketing.tasks.send_email_task", key, task_name=key[:100])
    return len(keys)
