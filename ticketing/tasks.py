"""django-q2 tasks for ticketing. Each is idempotent: running it twice changes nothing more."""

from ticketing.services.holds import expire_holds


def expire_holds_task():
    seats, bookings = expire_holds()
    return {"seats": seats, "bookings": bookings}


def send_email_task(key: str):
    """Send one logged e-mail (ticketing.services.mail.deliver): claimed once, retried on failure."""
    from ticketing.services.mail import deliver

    return deliver(key)


def send_show_reminders_task():
    from ticketing.services.reminders import send_show_reminders

    return send_show_reminders()


def housekeeping_task():
    from ticketing.services.housekeeping import housekeeping

    return housekeeping()


class RefundNotSent(Exception):
    """The gateway did not answer a refund: failing the task leaves it unacknowledged, so
    django-q2 hands it out again after Q_CLUSTER["retry"] (the reconcile task retries it too)."""


def process_refund_task(refund_id: int):
    from ticketing.services.refunds import process_refund

    result = process_refund(refund_id)
    if result == "will retry":
        raise RefundNotSent(f"refund {refund_id} is still pending; the queue will try again")
    return result


def reconcile_payments_task():
    from ticketing.services.reconcile import reconcile_payments

    return reconcile_payments()


def process_webhook_task(event_pk: int):
    from ticketing.payments.webhooks import process_event

    return process_event(event_pk)
