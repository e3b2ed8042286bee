"""The seat map as customers see it, read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from cinema.layouts import seats_to_grid
from ticketing.models import SeatState, ShowSeat


@dataclass
class SeatMap:
    grid: list[dict]
    columns: int
    legend: list[dict]
    total: int
    available: int


def public_state(seat, now) -> str:
    """A hold past its time is free for everyone at once (lazy expiry)."""
    if seat.state == SeatState.HELD and seat.held_until and seat.held_until <= now:
        return SeatState.AVAILABLE
    return seat.state


def seat_map_for(show, now=None) -> SeatMap:
    now = now or timezone.now()
    seats = list(
        ShowSeat.objects.filter(show=show).only(
            "label", "row", "number", "row_index", "column", "category", "wheelchair", "state", "held_until"
        )
    )
    prices = show.price_map()
    for seat in seats:
        seat.public_state = public_state(seat, now)
        seat.price = prices.get(seat.category)
    columns = max((seat.column for seat in seats), default=-1) + 1
    order = show.screen.seat_layout.category_names()
    legend = [
        {"name": name, "price": prices.get(name), "free": sum(1 for s in seats if s.category == name and s.public_state == "available")}
        for name in order
        if any(s.category == name for s in seats)
    ]
    return SeatMap(
        grid=seats_to_grid(seats, columns),
        columns=columns,
        legend=legend,
        total=len(seats),
        available=sum(1 for s in seats if s.public_state == SeatState.AVAILABLE),
    )
