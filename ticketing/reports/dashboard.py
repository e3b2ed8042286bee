"""What the staff dashboard panels show, each a bounded number of aggregate queries: today's
sales, the next shows' occupancy, bookings that need a person, and the task queue's health.

"Needs attention" means: a checkout left in payment_pending for more than 15 minutes (the
booking's ``updated_at`` is when it went to payment), a booking the code flagged
(``needs_attention``: an amount mismatch, a failed refund), or a refund that failed or is
still pending after 3 attempts.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from cinema.models import ShowPage
from ticketing.models import Booking, BookingState, Refund, RefundStatus
from ticketing.reports.queries import Period, sales_totals, with_occupancy

STUCK_AFTER = timedelta(minutes=15)
WORRYING_ATTEMPTS = 3
OVERDUE_AFTER = timedelta(minutes=5)


def get_todays_sales(now=None) -> dict:
    """Sales confirmed today (IST), as the sales report counts them, online and at the counter."""
    today = timezone.localdate(now)
    totals = sales_totals(Period(today, today))
    return {"day": today, "online": totals["total"] - totals["counter"], **totals}


def get_next_shows(now=None, limit: int = 8) -> list[dict]:
    now = now or timezone.now()
    shows = ShowPage.objects.filter(live=True, starts_at__gte=now).exclude(status="cancelled")
    return list(with_occupancy(shows, now)[:limit])


# --- bookings needing attention --------------------------------------------------------------
def _refund_trouble():
    troubled = Q(status=RefundStatus.FAILED) | Q(status=RefundStatus.PENDING, attempts__gte=WORRYING_ATTEMPTS)
    return Exists(Refund.objects.filter(troubled, booking=OuterRef("pk")))


def get_bookings_needing_attention(now=None, limit: int = 8) -> dict:
    """Counts per reason and the most recently changed bookings (two queries)."""
    now = now or timezone.now()
    stuck = Q(state=BookingState.PAYMENT_PENDING, updated_at__lt=now - STUCK_AFTER)
    bookings = Booking.objects.annotate(refund_trouble=_refund_trouble()).filter(
        stuck | Q(needs_attention=True) | Q(refund_trouble=True)
    )
    counts = bookings.aggregate(
        total=Count("pk"),
        stuck=Count("pk", filter=stuck),
        flagged=Count("pk", filter=Q(needs_attention=True)),
        refunds=Count("pk", filter=Q(refund_trouble=True)),
    )
    rows = list(bookings.select_related("user", "show__movie").order_by("-updated_at", "-pk")[:limit])
    for booking in rows:
        booking.reason = _reason(booking, now)
    return {"counts": counts, "bookings": rows}


def _reason(booking: Booking, now) -> str:
    if booking.needs_attention:
        return booking.attention_note or "Flagged for a person to check"
    if booking.refund_trouble:
        return "A refund failed or keeps failing"
    minutes = int((now - booking.updated_at).total_seconds() // 60)
    return f"Payment pending for {minutes} minutes"


# --- the task queue (django-q2) --------------------------------------------------------------
def get_queue_health(now=None, failures_shown: int = 3) -> dict:
    from django_q.models import Failure, Schedule, Task

    now = now or timezone.now()
    since = now - timedelta(hours=24)
    last = Task.objects.filter(id=OuterRef("task"))
    schedules = list(
        Schedule.objects.annotate(
            last_run=Subquery(last.values("stopped")[:1]), last_success=Subquery(last.values("success")[:1])
        ).order_by("next_run", "pk")[:20]
    )
    for schedule in schedules:
        schedule.overdue = schedule.next_run is not None and schedule.next_run < now - OVERDUE_AFTER
    return {
        **_queue_size(now),
        "failures": Failure.objects.filter(stopped__gte=since).count(),
        "recent_failures": list(Failure.objects.filter(stopped__gte=since).order_by("-stopped")[:failures_shown]),
        "schedules": schedules,
    }


def _queue_size(now) -> dict:
    """Tasks waiting (and, with the database broker, being worked on). A broker that does not
    answer is reported, never raised: the dashboard must open when the queue is down."""
    from django_q.conf import Conf

    if Conf.ORM:
        from django_q.models import OrmQ

        counts = OrmQ.objects.using(Conf.ORM).aggregate(
            queued=Count("pk", filter=Q(lock__lte=now)), running=Count("pk", filter=Q(lock__gt=now))
        )
        return {"broker": "database", **counts, "broker_error": ""}
    try:
        from django_q.brokers import get_broker

        return {"broker": "Redis", "queued": get_broker().queue_size(), "running": None, "broker_error": ""}
    except Exception as error:  # any broker failure is shown, not raised
        return {"broker": "Redis", "queued": None, "running": None, "broker_error": str(error) or error.__class__.__name__}
