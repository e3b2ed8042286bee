"""A booking's seats as priced ticket lines, before any discount, fee or tax.

Both promo checks (does the code apply, is the order big enough) and quote() start here, so
promos need not import pricing, which applies their discount."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.money import ZERO, rupees
from ticketing.models import ShowSeat
from ticketing.services.show_cache import show_prices


@dataclass
class TicketLine:
    category: str
    unit_price: Decimal
    quantity: int
    amount: Decimal


def ticket_lines(show, categories: list[str]) -> tuple[list[TicketLine], Decimal]:
    """One line per seat category at this show's prices, and their sum (the base)."""
    prices = show_prices(show.pk)
    counts: dict[str, int] = {}
    for category in categories:
        counts[category] = counts.get(category, 0) + 1
    tickets = [TicketLine(category=c, unit_price=prices[c], quantity=n, amount=rupees(prices[c] * n)) for c, n in counts.items()]
    return tickets, rupees(sum((t.amount for t in tickets), ZERO))


def seat_categories(booking) -> list[str]:
    """The category of each seat of the booking, in the booking's order: one query, or none
    when they were read with the booking (``known_seat_categories``: label → category, checkout's
    locked read)."""
    known = getattr(booking, "known_seat_categories", None)
    if known is not None and all(label in known for label in booking.seats):
        return [known[label] for label in booking.seats]
    by_label = dict(ShowSeat.objects.filter(show_id=booking.show_id, label__in=booking.seats).values_list("label", "category"))
    return [by_label[label] for label in booking.seats if label in by_label]
