"""The seat map as customers see it, read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from types import SimpleNamespace

from django.utils import timezone

from cinema.layouts import companion_partners, seats_to_grid
from ticketing.models import SeatState, ShowSeat
from ticketing.services import companions

# Legend colours cycle through this many tiers (css: .tier-0 … .tier-4).
TIERS = 5


@dataclass
class SeatMap:
    grid: list[dict]
    columns: int
    legend: list[dict]
    total: int
    available: int
    companions_until: object = None  # while companion seats are kept: their release time
    companions_shown: bool = False  # the map marks companion seats (kept, or the admin preview)


def public_state(state: str, held_until, now) -> str:
    """A hold past its time is free for everyone at once (lazy expiry)."""
    if state == SeatState.HELD and held_until and held_until < now:
        return SeatState.AVAILABLE
    return state


def category_descriptions(layout) -> dict[str, str]:
    """{category name: the line the editor wrote for customers}, read from the layout's blocks."""
    return {
        block.value["name"].strip(): (block.value.get("description") or "").strip()
        for block in layout.categories
        if block.value.get("name")
    }


def _legend(order, descriptions, seats, prices) -> list[dict]:
    free: dict[str, int] = {}
    present: set[str] = set()
    for seat in seats:
        present.add(seat.category)
        if seat.public_state == SeatState.AVAILABLE:
            free[seat.category] = free.get(seat.category, 0) + 1
    return [
        {
            "name": name,
            "description": descriptions.get(name, ""),
            "price": prices.get(name),
            "free": free.get(name, 0),
            "tier": tier % TIERS,
        }
        for tier, name in enumerate(order)
        if name in present
    ]


@dataclass(slots=True)
class MapSeat:
    """One seat as the map draws it: plain values, no model instance (250 of those cost ~3 ms)."""

    label: str
    row: str
    number: int
    row_index: int
    column: int
    category: str
    wheelchair: bool
    companion: bool
    state: str
    held_until: object
    public_state: str = ""
    price: object = None
    tier: int = 0
    kept_with: str | None = None  # a companion seat still kept: the wheelchair spaces beside it


_MAP_FIELDS = ("label", "row", "number", "row_index", "column", "category", "wheelchair", "companion", "state", "held_until")


def _mark_companions(seats) -> bool:
    """Give each companion seat the wheelchair spaces beside it; whether there was any."""
    partners = companion_partners(seats)
    for seat in seats:
        if seat.label in partners:
            seat.kept_with = " or ".join(partners[seat.label])
    return bool(partners)


def seat_map_for(show, now=None) -> SeatMap:
    now = now or timezone.now()
    seats = [MapSeat(*values) for values in ShowSeat.objects.filter(show=show).values_list(*_MAP_FIELDS)]
    prices = show.price_map()
    layout = show.screen.seat_layout
    order = layout.category_names()
    tiers = {name: index % TIERS for index, name in enumerate(order)}
    for seat in seats:
        seat.public_state = public_state(seat.state, seat.held_until, now)
        seat.price = prices.get(seat.category)
        seat.tier = tiers.get(seat.category, 0)
    columns = max((seat.column for seat in seats), default=-1) + 1
    seat_map = _seat_map(seats, columns, _legend(order, category_descriptions(layout), seats, prices))
    until = companions.kept_until(show.starts_at, now)
    if until is not None and _mark_companions(seats):
        seat_map.companions_until, seat_map.companions_shown = until, True
    return seat_map


def seat_map_for_layout(layout, descriptions: dict[str, str] | None = None) -> SeatMap:
    """The same picture for a compiled layout (the admin preview): no prices, nothing sold."""
    tiers = {name: index % TIERS for index, name in enumerate(layout.categories)}
    # Shaped like a ShowSeat (mutable: the template tags annotate seats) for the shared partial.
    seats = [
        SimpleNamespace(
            **asdict(spec),
            price=None,
            public_state=SeatState.BLOCKED if spec.blocked else SeatState.AVAILABLE,
            tier=tiers.get(spec.category, 0),
            kept_with=None,
        )
        for spec in layout.seats
    ]
    seat_map = _seat_map(seats, layout.columns, _legend(layout.categories, descriptions or {}, seats, {}))
    seat_map.companions_shown = _mark_companions(seats)
    return seat_map


def _seat_map(seats, columns: int, legend: list[dict]) -> SeatMap:
    return SeatMap(
        grid=seats_to_grid(seats, columns),
        columns=columns,
        legend=legend,
        total=len(seats),
        available=sum(1 for s in seats if s.public_state == SeatState.AVAILABLE),
    )
