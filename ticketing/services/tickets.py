"""Issuing tickets: one per sold seat, written in the same transaction that confirms the booking."""

from core import prepared
from core.raw_rows import every_column, from_row, insert_parts
from ticketing.models import Booking, ShowSeat, Ticket


def issue_tickets(booking: Booking, categories: dict[str, str] | None = None) -> list[Ticket]:
    """Called by the finalizer under the booking's row lock; a booking confirmed twice (it
    cannot be, but the guard costs nothing: it is the INSERT's own condition) keeps its first
    tickets. ``categories``: each seat's category when the caller has them (the finalizer's
    seat UPDATE returns them)."""
    if categories is None:
        categories = dict(
            ShowSeat.objects.filter(show_id=booking.show_id, label__in=booking.seats).values_list("label", "category")
        )
    tickets = [
        Ticket(booking=booking, show_id=booking.show_id, seat_label=label, category=categories.get(label, ""))
        for label in booking.seats
    ]
    if not tickets:
        return []
    rows, params = [], []
    for ticket in tickets:
        columns, selected, values = insert_parts(ticket)
        rows.append(f"SELECT {selected}")
        params += values
    table = Ticket._meta.db_table
    with prepared.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT * FROM ({' UNION ALL '.join(rows)}) AS new "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE booking_id = %s) RETURNING {every_column(Ticket)}",
            [*params, booking.pk],
        )
        made = [from_row(Ticket, row) for row in cursor.fetchall()]
    if not made:
        return list(booking.tickets.all())
    return sorted(made, key=lambda ticket: ticket.pk)
