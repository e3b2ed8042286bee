"""Issuing tickets: one per sold seat, written in the same transaction that confirms the booking."""

from ticketing.models import Booking, ShowSeat, Ticket


def issue_tickets(booking: Booking, categories: dict[str, str] | None = None) -> list[Ticket]:
    """Called by the finalizer under the booking's row lock; a booking confirmed twice (it
    cannot be, but the guard is cheap) keeps its first tickets. ``categories``: each seat's
    category when the caller has them (the finalizer's seat UPDATE returns them)."""
    existing = list(booking.tickets.all())
    if existing:
        return existing
    if categories is None:
        categories = dict(
            ShowSeat.objects.filter(show_id=booking.show_id, label__in=booking.seats).values_list("label", "category")
        )
    tickets = [
        Ticket(booking=booking, show_id=booking.show_id, seat_label=label, category=categories.get(label, ""))
        for label in booking.seats
    ]
    return Ticket.objects.bulk_create(tickets)
