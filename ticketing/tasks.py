"""django-q2 tasks for ticketing. Each is idempotent: running it twice changes nothing more."""

from ticketing.services.holds import expire_holds


def expire_holds_task():
    seats, bookings = expire_holds()
    return {"seats": seats, "bookings": bookings}
