"""A counter sale and an online hold for the same seats at the same instant, over real HTTP
against a live server on PostgreSQL: exactly one wins, and the other is told which seats
(docs/DESIGN.md §3: the conditional UPDATE's row count decides)."""

import pytest
from django.db import connection

from tests.concurrency.test_hold_race import Customer, run_together
from tests.factories import make_customer, make_layout, make_movie, make_screen, make_show, make_user, row
from ticketing.models import Booking, BookingChannel, BookingState, SeatState, ShowSeat
from ticketing.services import counter_shifts

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks and many connections at once"),
    pytest.mark.postgres,
]

ROUNDS = 12


@pytest.fixture
def clock():
    """Real time: the live server's threads and the database share the clock."""
    yield None


def race(show, desk, online, seats, approval):
    """The counter's sale and the customer's hold, started at the same instant."""
    desk.connection.connect()
    online.connection.connect()
    sale = {"show": show.pk, "seats": seats, "payment": {"method": "card", "reference": approval}}
    return run_together(
        [
            lambda: desk.post("/api/counter/sales", sale),
            lambda: online.post(f"/api/shows/{show.pk}/holds", {"seats": seats}),
        ]
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_counter_and_online_race_for_the_same_seats(live_server, settings):
    settings.MARQUEE_HOLD_RATE = 0
    show = make_show(movie=make_movie(), screen=make_screen(seat_layout=make_layout(rows=[row("A", 2 * ROUNDS)])))
    seller = make_user("ticketing.sell_at_counter", username="seller", is_staff=True)
    counter_shifts.open_shift(seller, "Counter 1", "0.00")
    winners = {"counter": 0, "online": 0}
    for n in range(ROUNDS):
        seats = [f"A{2 * n + 1}", f"A{2 * n + 2}"]
        desk = Customer(seller, live_server.url)
        online = Customer(make_customer(username=f"online{n}"), live_server.url)
        results = race(show, desk, online, seats, f"APP{n:04d}")
        errors = [r for r in results if isinstance(r, BaseException)]
        assert not errors, errors
        (counter_status, counter_body), (online_status, online_body) = results
        assert sorted([counter_status, online_status]) == [201, 409], results
        loser = counter_body if counter_status == 409 else online_body
        assert loser["unavailable"] and set(loser["unavailable"]) <= set(seats), loser
        rows = dict(ShowSeat.objects.filter(show=show, label__in=seats).values_list("label", "state"))
        if counter_status == 201:
            winners["counter"] += 1
            assert set(rows.values()) == {SeatState.SOLD}
            assert Booking.objects.get(reference=counter_body["reference"]).state == BookingState.CONFIRMED
        else:
            winners["online"] += 1
            assert set(rows.values()) == {SeatState.HELD}
        desk.connection.close()
        online.connection.close()
    # Nothing half-written by a loser: every counter booking is confirmed, with its tickets.
    counter = Booking.objects.filter(channel=BookingChannel.COUNTER)
    assert counter.count() == winners["counter"]
    assert all(b.state == BookingState.CONFIRMED and b.tickets.count() == 2 for b in counter)
    assert Booking.objects.filter(channel=BookingChannel.ONLINE, state=BookingState.HELD).count() == winners["online"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_open_shift_clicks_at_once_make_one_shift():
    """The pre-check cannot see a simultaneous open: the partial unique index refuses the
    second, and the service answers it as the 409 a second click gets."""
    from ticketing.errors import ShiftConflict
    from ticketing.models import CounterShift

    seller = make_user("ticketing.sell_at_counter", username="twice", is_staff=True)

    def click():
        try:
            return counter_shifts.open_shift(seller, "Counter 1", "1000.00").pk
        except ShiftConflict as refusal:
            return refusal.status

    results = run_together([click for _ in range(6)])
    assert sorted(r for r in results if r == 409) == [409] * 5, results
    assert CounterShift.objects.filter(staff=seller).count() == 1
