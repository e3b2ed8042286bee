"""django-q2 tasks for ticketing. Each is idempotent: running it twice changes nothing more."""

from ticketing.payments.webhooks import process_event
from ticketing.services.holds import expire_holds
from ticketing.services.housekeeping import housekeeping
from ticketing.services.mail import deliver
from ticketing.services.reconcile import reconcile_payments
from ticketing.services.refunds import process_refund
from ticketing.services.reminders import send_show_reminders


def expire_holds_task():
    seats, bookings = expire_holds()
    return {"seats": seats, "bookings": bookings}


def send_email_task(key: str):
    """Send one logged e-mail (ticketing.services.mail.deliver): claimed once, retried on failure."""
    return deliver(key)


def send_show_reminders_task():
    return send_show_reminders()


def housekeeping_task():
    return housekeeping()


class RefundNotSent(Exception):
    """The gateway did not answer a refund: failing the task leaves it unacknowledged, so
    django-q2 hands it out again after Q_CLUSTER["retry"] (the reconcile task retries it too)."""


def process_refund_task(refund_id: int):
    result = process_refund(refund_id)
    if result == "will retry":
        raise RefundNotSent(f"refund {refund_id} is still pending; the queue will try again")
    return result


def reconcile_payments_task():
    return reconcile_payments()


def process_webhook_task(event_pk: int):
    return process_event(event_pk)
