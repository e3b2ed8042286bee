"""Sending one logged text exactly once, as the e-mail sent-log does (ticketing/services/mail.py).

`queue_text` writes the row (its unique key makes a repeated event send nothing more) and
enqueues the django-q2 task; `deliver` claims the row with one conditional UPDATE, sends through
the configured backend and records the provider's id, or marks it failed and re-raises so the
task is retried. Nothing here touches a booking: a text never breaks one.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from messaging.backends import get_backend
from messaging.models import MessageStatus, SentMessage

log = logging.getLogger("marquee.messaging")
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
BACKOFF = timedelta(minutes=2)
TASK = "messaging.tasks.send_text_task"
# A one-time code or a gift card's code must not sit readable in the sent-log once it has gone out.
REDACTED = "[one-time code, not kept]"
SECRET_PURPOSES = {"otp": REDACTED, "gift_card": "[gift card code, not kept]"}


def template_id_for(purpose: str) -> str:
    return settings.MESSAGING_DLT_TEMPLATES.get(purpose, "")


def queue_text(key: str, *, purpose: str, channel: str, to: str, body: str, user_id=None, booking_reference="") -> bool:
    """Log the text and queue its task; False when the key was already logged."""
    from django_q.tasks import async_task

    try:
        with transaction.atomic():
            SentMessage.objects.create(
                key=key,
                purpose=purpose,
                channel=channel,
                to_number=to,
                body=body,
                template_id=template_id_for(purpose),
                user_id=user_id,
                booking_reference=booking_reference,
            )
    except IntegrityError:
        return False
    try:
        async_task(TASK, key, task_name=key[:100])
    except Exception:  # the broker is down: the row stays queued for the retry sweep
        log.exception("could not queue text %s", key)
    return True


def claim(key: str) -> bool:
    now = timezone.now()
    claimable = Q(status__in=[MessageStatus.QUEUED, MessageStatus.FAILED]) | Q(
        status=MessageStatus.SENDING, claimed_at__lt=now - LEASE
    )
    return bool(
        SentMessage.objects.filter(claimable, key=key, attempts__lt=MAX_ATTEMPTS).update(
            status=MessageStatus.SENDING, claimed_at=now, updated_at=now, attempts=F("attempts") + 1
        )
    )


def deliver(key: str) -> str:
    """Send the logged text `key` if nobody has; return what happened."""
    if not claim(key):
        return "not claimed"
    row = SentMessage.objects.get(key=key)
    try:
        provider_id = get_backend().send(row.to_number, row.body, row.channel, row.template_id)
    except Exception as exc:
        SentMessage.objects.filter(pk=row.pk).update(
            status=MessageStatus.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        log.warning("text %s failed: %s", key, exc)
        raise
    now = timezone.now()
    done = {
        "status": MessageStatus.SENT,
        "sent_at": now,
        "updated_at": now,
        "provider_id": str(provider_id)[:80],
        "last_error": "",
    }
    if row.purpose in SECRET_PURPOSES:
        done["body"] = SECRET_PURPOSES[row.purpose]
    SentMessage.objects.filter(pk=row.pk).update(**done)
    return "sent"


def retry_stale_texts(limit: int = 200) -> int:
    """Re-queue texts whose task failed for good or whose worker died (housekeeping). A failed
    text waits longer after each attempt (2, 4, 8 … minutes), so a provider outage is not
    hammered."""
    from django_q.tasks import async_task

    now = timezone.now()
    stale = (
        Q(status=MessageStatus.FAILED, updated_at__lt=now - BACKOFF)
        | Q(status=MessageStatus.QUEUED, created_at__lt=now - timedelta(minutes=10))
        | Q(status=MessageStatus.SENDING, claimed_at__lt=now - LEASE)
    )
    rows = SentMessage.objects.filter(stale, attempts__lt=MAX_ATTEMPTS).values_list("key", "status", "attempts", "updated_at")
    keys = [
        key
        for key, status, attempts, updated_at in rows[:limit]
        if status != MessageStatus.FAILED or updated_at < now - BACKOFF * 2 ** max(attempts - 1, 0)
    ]
    for key in keys:
        try:
            async_task(TASK, key, task_name=key[:100])
        except Exception:  # one text's broker or provider trouble must not stop the sweep
            log.exception("could not re-queue text %s", key)
    return len(keys)
