"""A booking's food and drinks as priced lines, for quote(). Read only for a booking that has
items (``Booking.has_items``), so a seats-only booking costs no extra statement."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ticketing.models import BookingItem


@dataclass
class ItemLine:
    sku: str
    name: str
    unit_price: Decimal
    quantity: int
    amount: Decimal
    seats_included: int = 0  # a bundle: seats of seat_category its price covers, per unit
    seat_category: str = ""

    @property
    def is_bundle(self) -> bool:
        return self.seats_included > 0


def item_lines(booking) -> list[ItemLine]:
    if not booking.has_items:
        return []
    return [line_of(row) for row in BookingItem.objects.filter(booking_id=booking.pk).order_by("id")]


def line_of(row: BookingItem) -> ItemLine:
    return ItemLine(
        sku=row.sku,
        name=row.name,
        unit_price=row.unit_price,
        quantity=row.quantity,
        amount=row.amount,
        seats_included=row.seats_included,
        seat_category=row.seat_category,
    )
