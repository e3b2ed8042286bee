"""Show reminders: a few hours before the show, each confirmed booking's customer is reminded once."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ticketing.mail.notifications import enqueue_email
from ticketing.models import Booking, BookingState


def send_show_reminders(now=None) -> int:
    """Queue a reminder for every confirmed booking whose show starts within the reminder
    window and has none yet. The sent-log key makes a second run (or a slow one) harmless."""
    now = now or timezone.now()
    window = now + timedelta(hours=settings.MARQUEE_REMINDER_HOURS)
    due = (
        Booking.objects.filter(state=BookingState.CONFIRMED, show__starts_at__gt=now, show__starts_at__lte=window)
        .exclude(emails__kind="show_reminder")
        .values_list("pk", "reference", "user_id")
    )
    return sum(enqueue_email(f"show_reminder:{ref}", "show_reminder", booking_id=pk, user_id=user) for pk, ref, user in due)
