"""A wheelchair user holds their space with its companion seat while other customers try the
companion seat alone, all at the same instant on PostgreSQL: before the release time the
companion seat is never held or sold apart from its wheelchair space (docs/DESIGN.md §3)."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from tests.concurrency.test_hold_race import run_together
from tests.factories import make_customer, make_layout, make_movie, make_screen, make_show, row
from ticketing.models import BookingState, SeatState, ShowSeat
from ticketing.services import companions
from ticketing.services.holds import hold_seats, release_hold

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks and many connections at once"),
    pytest.mark.postgres,
]

ROUNDS = 6
RIVALS = 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("read_check", [True, False], ids=["as-built", "read-check-off"])
def test_the_companion_seat_never_goes_alone(read_check, monkeypatch):
    """``read-check-off`` takes the hold's early read out of the way, so only the conditional
    UPDATE stands between the rivals and the seat."""
    if not read_check:
        monkeypatch.setattr(companions, "refused", lambda *args: {})
    layout = make_layout(rows=[row("A", 6, "Classic", wheelchair="1", companion="2")], categories=["Classic"])
    show = make_show(
        movie=make_movie(),
        screen=make_screen(seat_layout=layout),
        starts_at=timezone.now() + timedelta(days=3),
        prices={"Classic": Decimal("200")},
    )
    wheelchair_user = make_customer(username="wheels")
    rivals = [make_customer(username=f"rival{n}") for n in range(RIVALS)]

    def attempt(user, labels):
        try:
            return hold_seats(user, show, labels).booking.pk
        except companions.CompanionSeatKept:
            return "kept"
        except Exception as error:  # noqa: BLE001 - a taken seat, reported below
            return type(error).__name__

    pairs = 0
    refusals = Counter()
    for _ in range(ROUNDS):
        workers = [lambda: attempt(wheelchair_user, ["A1", "A2"])]
        workers += [lambda user=user: attempt(user, ["A2"]) for user in rivals]
        results = run_together(workers)
        assert not [r for r in results if isinstance(r, BaseException)], results
        # No rival ever holds A2 alone: refused as kept, or as taken when the pair was already held.
        assert set(results[1:]) <= {"kept", "SeatsUnavailable"}, results
        refusals.update(results[1:])
        rows = dict(ShowSeat.objects.filter(show=show, label__in=["A1", "A2"]).values_list("label", "booking_id"))
        a2 = ShowSeat.objects.get(show=show, label="A2")
        if a2.state == SeatState.HELD:
            assert rows["A1"] == rows["A2"], "the companion seat is held apart from its wheelchair space"
            pairs += 1
        booking = a2.booking or ShowSeat.objects.get(show=show, label="A1").booking
        if booking is not None and booking.state == BookingState.HELD:
            release_hold(booking)
    assert pairs == ROUNDS
    assert refusals["kept"] > 0, refusals  # some rivals reached the companion rule itself
