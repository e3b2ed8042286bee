"""Expiry: a hold past held_until is free for everyone at once (lazy), and the sweep only
tidies state, in bulk statements, as often as it likes (docs/DESIGN.md §3)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_customer, make_show
from ticketing.errors import BookingError, SeatsUnavailable
from ticketing.models import Booking, BookingState, SeatState, ShowSeat
from ticketing.services.holds import expire_holds, hold_seats
from ticketing.services.promos import begin_checkout

pytestmark = pytest.mark.django_db

HOLD = timedelta(minutes=10)
SECOND = timedelta(seconds=1)


def seat(show, label) -> ShowSeat:
    return ShowSeat.objects.get(show=show, label=label)


# --- lazy expiry ---------------------------------------------------------------------------


def test_a_hold_lasts_until_its_time_inclusive(show, alice, bob, clock):
    hold_seats(alice, show, ["A1"])
    clock.shift(HOLD)  # held_until == now: still alice's
    with pytest.raises(SeatsUnavailable) as refused:
        hold_seats(bob, show, ["A1"])
    assert refused.value.labels == ["A1"]


def test_an_expired_hold_is_free_for_another_customer_at_once(show, alice, bob, clock):
    """No sweep has run: the conditional UPDATE itself treats held_until < now as free."""
    old = hold_seats(alice, show, ["A1", "A2"]).booking
    clock.shift(HOLD + SECOND)
    new = hold_seats(bob, show, ["A2", "A3"]).booking
    a2 = seat(show, "A2")
    assert (a2.state, a2.booking_id, a2.held_until) == (SeatState.HELD, new.pk, timezone.now() + HOLD)
    assert seat(show, "A3").booking_id == new.pk
    # Alice's seat that nobody took keeps its stale row until the sweep; it is still free to claim.
    assert seat(show, "A1").booking_id == old.pk
    assert hold_seats(bob, show, ["A1", "A2"]).booking.pk == new.pk
    assert seat(show, "A1").booking_id == new.pk


def test_the_customer_can_renew_their_own_expired_hold(show, alice, clock):
    first = hold_seats(alice, show, ["A1", "A2"]).booking
    clock.shift(HOLD + SECOND)
    again = hold_seats(alice, show, ["A1", "A2"]).booking
    assert again.state == BookingState.HELD
    assert again.held_until == timezone.now() + HOLD
    assert set(ShowSeat.objects.filter(booking=again).values_list("label", flat=True)) == {"A1", "A2"}
    assert Booking.objects.filter(user=alice, state=BookingState.HELD).count() == 1
    assert first.pk == again.pk


def test_after_losing_a_seat_to_lazy_expiry_the_old_hold_cannot_take_it_back(show, alice, bob, clock):
    mine = hold_seats(alice, show, ["A1", "A2"]).booking
    clock.shift(HOLD + SECOND)
    theirs = hold_seats(bob, show, ["A1"]).booking
    with pytest.raises(SeatsUnavailable) as refused:
        hold_seats(alice, show, ["A1", "A2"])
    assert refused.value.labels == ["A1"]
    assert seat(show, "A1").booking_id == theirs.pk
    # Re-holding only what is still free works and moves nothing of bob's.
    assert hold_seats(alice, show, ["A2"]).booking.pk == mine.pk
    assert seat(show, "A1").booking_id == theirs.pk


def test_checkout_refuses_a_hold_that_has_run_out(show, alice, clock):
    booking = hold_seats(alice, show, ["A1"]).booking
    clock.shift(HOLD + SECOND)
    with pytest.raises(BookingError, match="Your hold has run out"):
        begin_checkout(booking)
    booking.refresh_from_db()
    assert booking.state == BookingState.HELD


# --- the sweep -----------------------------------------------------------------------------


def test_sweep_marks_lapsed_bookings_expired_and_leaves_the_seat_rows(show, alice, bob, clock):
    old_alice = hold_seats(alice, show, ["A1", "A2"]).booking
    old_bob = hold_seats(bob, show, ["B1"]).booking
    clock.shift(HOLD + SECOND)
    carol = make_customer(username="carol")
    fresh = hold_seats(carol, show, ["A1"]).booking  # took A1 lazily from alice
    rows_before = list(ShowSeat.objects.filter(show=show).order_by("label").values_list("label", "state", "booking_id"))

    assert expire_holds() == (3, 2)  # alice's two seats and bob's one; their two bookings

    old_alice.refresh_from_db()
    old_bob.refresh_from_db()
    fresh.refresh_from_db()
    assert (old_alice.state, old_bob.state, fresh.state) == (BookingState.EXPIRED, BookingState.EXPIRED, BookingState.HELD)
    assert old_alice.seats == ["A1", "A2"]  # history kept
    assert list(ShowSeat.objects.filter(show=show).order_by("label").values_list("label", "state", "booking_id")) == rows_before
    assert seat(show, "A1").booking_id == fresh.pk and seat(show, "A1").state == SeatState.HELD


def test_seats_a_sweep_left_read_as_free_everywhere(show, alice, bob, clock):
    from ticketing.services.seatmap import seat_map_for

    hold_seats(alice, show, ["A2", "B1"])
    clock.shift(HOLD + SECOND)
    expire_holds()
    picture = seat_map_for(show)
    assert picture.available == picture.total == ShowSeat.objects.filter(show=show).count()
    again = hold_seats(bob, show, ["A2", "B1"]).booking  # the conditional UPDATE claims them
    assert set(ShowSeat.objects.filter(booking=again).values_list("label", flat=True)) == {"A2", "B1"}


def test_sweep_is_idempotent(show, alice, clock):
    hold_seats(alice, show, ["A1"])
    clock.shift(HOLD + SECOND)
    assert expire_holds() == (1, 1)
    assert expire_holds() == (0, 0)


def test_sweep_leaves_live_holds_sold_and_blocked_seats_alone(show, alice, bob, clock):
    live = hold_seats(alice, show, ["A1"]).booking
    ShowSeat.objects.filter(show=show, label="A9").update(state=SeatState.SOLD)
    ShowSeat.objects.filter(show=show, label="A10").update(state=SeatState.BLOCKED)
    clock.shift(HOLD)  # exactly at held_until: not yet expired
    before = list(ShowSeat.objects.filter(show=show).values_list("label", "state", "booking_id", "held_until"))
    assert expire_holds() == (0, 0)
    assert list(ShowSeat.objects.filter(show=show).values_list("label", "state", "booking_id", "held_until")) == before
    live.refresh_from_db()
    assert live.state == BookingState.HELD


def test_sweep_takes_a_time(show, alice):
    hold_seats(alice, show, ["A1"])
    assert expire_holds(now=timezone.now() + HOLD + SECOND) == (1, 1)


def test_sweep_is_one_update_however_many_holds_and_touches_no_seat(movie, clock):
    show = make_show(movie=movie)
    for n in range(1, 11):
        hold_seats(make_customer(username=f"c{n}"), show, [f"A{n}", f"B{n}"])
    clock.shift(HOLD + SECOND)
    with CaptureQueriesContext(connection) as queries:
        assert expire_holds() == (20, 10)
    sql = [q["sql"] for q in queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "SET"))]
    assert not [statement for statement in sql if ShowSeat._meta.db_table in statement]
    expected = ["UPDATE"] if connection.vendor == "postgresql" else ["SELECT", "UPDATE"]  # PostgreSQL: RETURNING
    assert [statement.split()[0] for statement in sql] == expected


def test_a_seat_held_again_after_its_hold_lapsed_keeps_its_new_hold(show, alice, bob, clock):
    hold_seats(alice, show, ["A1"])
    clock.shift(HOLD + SECOND)
    sweep_started = timezone.now()  # the sweep's idea of now, taken before bob's hold commits
    again = hold_seats(bob, show, ["A1"]).booking
    assert expire_holds(now=sweep_started + SECOND) == (1, 1)  # alice's booking only
    a1 = seat(show, "A1")
    assert (a1.state, a1.booking_id) == (SeatState.HELD, again.pk)
    again.refresh_from_db()
    assert again.state == BookingState.HELD


def test_an_expired_booking_frees_the_customers_slot_for_a_new_hold(show, alice, clock):
    first = hold_seats(alice, show, ["A1"]).booking
    clock.shift(HOLD + SECOND)
    expire_holds()
    second = hold_seats(alice, show, ["A1"]).booking
    assert second.pk != first.pk
    assert second.state == BookingState.HELD
