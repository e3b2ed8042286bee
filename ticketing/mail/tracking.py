"""Anymail's tracking webhook (/anymail/<esp>/tracking/) → the sent-log row's delivery status.

Rows are found by the ESP's message id, or by the sent-log key we put in the message's
metadata. Events are appended (last 20 kept) so staff see the history on the booking; the
status only moves forward (an "opened" after "delivered" does not un-deliver it)."""

import logging

from django.db import transaction
from django.dispatch import receiver

from ticketing.models import EmailStatus, SentEmail

log = logging.getLogger("marquee.notifications")

STATUS_FOR_EVENT = {
    "delivered": EmailStatus.DELIVERED,
    "bounced": EmailStatus.BOUNCED,
    "rejected": EmailStatus.REJECTED,
    "failed": EmailStatus.BOUNCED,
    "complained": EmailStatus.COMPLAINED,
}
# An event may not replace a status that says more.
FINAL = {EmailStatus.BOUNCED, EmailStatus.REJECTED, EmailStatus.COMPLAINED}


def record_tracking_event(event) -> bool:
    key = (event.metadata or {}).get("sent_email")
    rows = SentEmail.objects.filter(key=key) if key else SentEmail.objects.filter(message_id=str(event.message_id or "-"))
    with transaction.atomic():
        row = rows.select_for_update().first()
        if row is None:
            log.info("tracking event for unknown message %s", event.message_id)
            return False
        row.events = (row.events + [_describe(event)])[-20:]
        status = STATUS_FOR_EVENT.get(event.event_type)
        if status and row.status not in FINAL and not (status == EmailStatus.DELIVERED and row.status == EmailStatus.DELIVERED):
            row.status = status
        row.save(update_fields=["events", "status", "updated_at"])
    return True


def _describe(event) -> dict:
    return {
        "event": event.event_type,
        "at": event.timestamp.isoformat() if event.timestamp else None,
        "recipient": event.recipient,
        "detail": (event.description or event.mta_response or "")[:300],
    }


def connect():
    from anymail.signals import tracking

    @receiver(tracking, dispatch_uid="marquee_sent_log_tracking", weak=False)
    def on_tracking(sender, event, esp_name, **kwargs):
        record_tracking_event(event)
