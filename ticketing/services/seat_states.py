"""A show's seat states as everyone without a hold sees them, kept per show, versions and time.

On a hot show in a rush nearly every poll finds a change (every hold, payment and confirmation
moves the seat version), so a 304 is rare and each poll used to read the show, its prices and
all its seat rows, then have the API validate 250 seat objects. The answer for a viewer
without a hold is the same for everyone, so it is built once per (show, content version, seat
version) and kept until its first time boundary (a hold it shows lapsing, booking opening or
closing, companion seats released, the show starting: docs/DESIGN.md §11): the JSON body as bytes, plus each seat's
booking so a viewer with a hold gets the same answer with their seats marked as theirs, and
the customers whose holds it shows, so a signed-in viewer it shows none of reads no row.

The versions are read by the caller before anything here, so a change committed meanwhile
leaves the copy under a number nobody asks for again (never a newer number on an older copy).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from cinema.booking_window import closed_reason
from cinema.models import ShowPage
from core.queries import only_row
from ticketing.models import SeatState, ShowSeat
from ticketing.services import companions
from ticketing.services.seatmap import public_state

KEEP_SECONDS = 3600  # even with nothing changing, rebuilt once an hour


@dataclass(frozen=True)
class PublicSeats:
    """Kept as bytes and tuples: a poll unpickles this from Redis, and 250 seat dicts cost
    about a millisecond to unpickle where one bytes object costs nothing."""

    body: bytes  # the answer as JSON with no hold: "mine" false everywhere, "hold" null
    owners: tuple  # each seat's booking id (None unless shown held), in the body's order
    moments: tuple  # instants ahead at build time at which the answer changes by itself
    holders: frozenset  # the customers whose hold it shows: anyone else has no hold to read


def key(show_id: int, current: tuple[int, int]) -> str:
    return f"seat-states:2:{show_id}:{current[0]}:{current[1]}"  # 2: with holders


def public_seats(show_id: int, current: tuple[int, int] | None, now=None) -> PublicSeats | None:
    """The shared answer for a live show (None when there is no such live show). ``current``:
    the (content, seat) versions read before this call, or None when the cache could not say
    (then nothing is kept)."""
    now = now or timezone.now()
    if current is not None:
        entry = cache.get(key(show_id, current))
        if entry is not None and entry[0] > time.time():
            return entry[1]
    built = _build(show_id, now)
    if built is not None and current is not None:
        until = min([now.timestamp() + KEEP_SECONDS, *(moment.timestamp() for moment in built.moments)])
        cache.set(key(show_id, current), (until, built), max(1, int(until - time.time()) + 1))
    return built


def _build(show_id: int, now) -> PublicSeats | None:
    show = only_row(ShowPage.objects.live().select_related("screen__seat_layout").filter(pk=show_id))
    if show is None:
        return None
    prices = show.price_map()
    rows = ShowSeat.objects.filter(show_id=show_id).values_list(
        "label", "row", "number", "category", "state", "held_until", "booking_id", "booking__user_id", "wheelchair", "companion"
    )
    release = companions.kept_until(show.starts_at, now)
    kept = timezone.localtime(release).isoformat() if release else None
    seats, owners, lapses, holders = [], [], [], set()
    for label, row, number, category, state, until, booking_id, user_id, wheelchair, companion in rows:
        state = public_state(state, until, now)
        if state == SeatState.HELD:
            lapses.append(until)
            holders.add(user_id)
        seats.append(
            {
                "label": label,
                "row": row,
                "number": number,
                "category": category,
                "price": str(prices.get(category)),
                "state": state,
                "mine": False,
                "wheelchair": wheelchair,
                "companion": companion,
                "companion_until": kept if companion else None,
            }
        )
        owners.append(booking_id if state == SeatState.HELD else None)
    payload = {
        "show": show.pk,
        "status": show.status,
        "bookable": closed_reason(show, now) is None,
        "max_per_booking": show.max_per_booking,
        "categories": [{"name": name, "price": str(prices.get(name))} for name in show.screen.seat_layout.category_names()],
        "seats": seats,
        "hold": None,
    }
    window = (show.booking_opens_at, show.booking_closes_at, show.starts_at, release)
    moments = tuple(moment for moment in (*lapses, *window) if moment is not None and moment >= now)
    return PublicSeats(
        body=json.dumps(payload).encode(), owners=tuple(owners), moments=moments, holders=frozenset(holders) - {None}
    )


def with_hold(public: PublicSeats, hold_id: int) -> dict:
    """The same answer's body for the customer holding ``hold_id``, their seats marked (the
    caller adds their hold)."""
    payload = json.loads(public.body)
    for seat, owner in zip(payload["seats"], public.owners, strict=True):
        seat["mine"] = owner == hold_id
    return payload
