"""django-q2 tasks for ticketing. Each is idempotent: running it twice changes nothing more."""

from ticketing.services.holds import expire_holds


def expire_holds_task():
    seats, bookings = expire_holds()
    return {"seats": seats, "bookings": bookings}


def send_booking_email(booking_id: int, kind: str):
    """A plain e-mail for now; templates, PDF tickets and the sent-log come with issue 5."""
    from django.conf import settings
    from django.core.mail import send_mail

    from ticketing.models import Booking
    from ticketing.notifications import KINDS

    booking = Booking.objects.select_related("user").filter(pk=booking_id).first()
    if booking is None or not booking.user.email:
        return "no recipient"
    subject = KINDS[kind].format(ref=booking.reference)
    body = f"{subject}.\n\nSeats: {', '.join(booking.seats)}\nState: {booking.get_state_display()}\n"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [booking.user.email])
    return "sent"


def process_refund_task(refund_id: int):
    from ticketing.services.refunds import process_refund

    return process_refund(refund_id)


def reconcile_payments_task():
    from ticketing.services.reconcile import reconcile_payments

    return reconcile_payments()


def process_webhook_task(event_pk: int):
    from ticketing.payments.webhooks import process_event

    return process_event(event_pk)
