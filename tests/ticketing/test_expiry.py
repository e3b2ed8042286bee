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
from ticketing.services import holds
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


def test_sweep_frees_seats_and_marks_bookings_expired(show, alice, bob, clock):
    old_alice = hold_seats(alice, show, ["A1", "A2"]).booking
    old_bob = hold_seats(bob, show, ["B1"]).booking
    clock.shift(HOLD + SECOND)
    carol = make_customer(username="carol")
    fresh = hold_seats(carol, show, ["A1"]).booking  # took A1 lazily from alice

    assert expire_holds() == (2, 2)  # A2 and B1; alice's and bob's bookings

    old_alice.refresh_from_db()
    old_bob.refresh_from_db()
    fresh.refresh_from_db()
    assert (old_alice.state, old_bob.state, fresh.state) == (BookingState.EXPIRED, BookingState.EXPIRED, BookingState.HELD)
    assert old_alice.seats == ["A1", "A2"]  # history kept
    for label in ("A2", "B1"):
        freed = seat(show, label)
        assert (freed.state, freed.booking_id, freed.held_until) == (SeatState.AVAILABLE, None, None)
    assert seat(show, "A1").booking_id == fresh.pk and seat(show, "A1").state == SeatState.HELD


def test_sweep_is_idempotent(show, alice, clock):
    hold_seats(alice, show, ["A1"])
    clock.shift(HOLD + SECOND)
    assert expire_holds() == (1, 1)
    assert expire_holds() == (0, 0)
    assert ShowSeat.objects.filter(show=show, state=SeatState.AVAILABLE).count() == 20


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


def _updates(queries) -> list[str]:
    """The sweep's statements without transaction housekeeping (savepoints, PostgreSQL's SET
    LOCAL); PostgreSQL's batch is a `WITH batch AS (…) UPDATE`."""
    sql = [q["sql"] for q in queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "SET"))]
    return ["UPDATE" if statement.startswith("WITH") and ") UPDATE " in statement else statement.split()[0] for statement in sql]


def test_sweep_is_two_bulk_updates_however_many_holds(movie, clock):
    show = make_show(movie=movie)
    for n in range(1, 11):
        hold_seats(make_customer(username=f"c{n}"), show, [f"A{n}", f"B{n}"])
    clock.shift(HOLD + SECOND)
    with CaptureQueriesContext(connection) as queries:
        assert expire_holds() == (20, 10)
    assert _updates(queries) == ["UPDATE", "UPDATE"]


def test_sweep_works_in_batches_longest_lapsed_first(movie, clock, monkeypatch):
    monkeypatch.setattr(holds, "SWEEP_BATCH", 3)
    show = make_show(movie=movie)
    for n in range(1, 5):
        hold_seats(make_customer(username=f"b{n}"), show, [f"A{n}", f"B{n}"])
        clock.shift(SECOND)
    clock.shift(HOLD)
    with CaptureQueriesContext(connection) as queries:
        assert expire_holds() == (8, 4)  # seats 3 + 3 + 2, bookings 3 + 1: each batch its own UPDATE
    assert _updates(queries) == ["UPDATE"] * 5
    assert not ShowSeat.objects.filter(show=show, state=SeatState.HELD).exists()


def test_a_run_past_its_budget_leaves_the_rest_to_the_next(movie, clock, monkeypatch):
    monkeypatch.setattr(holds, "SWEEP_BATCH", 2)
    show = make_show(movie=movie)
    first = hold_seats(make_customer(username="early"), show, ["A1", "A2"]).booking
    clock.shift(SECOND)
    hold_seats(make_customer(username="late"), show, ["B1", "B2"])
    clock.shift(HOLD + SECOND)
    assert expire_holds(budget=timedelta(0)) == (2, 2)  # one batch of each: the oldest seats, both bookings
    first.refresh_from_db()
    assert first.state == BookingState.EXPIRED
    assert set(ShowSeat.objects.filter(show=show, state=SeatState.HELD).values_list("label", flat=True)) == {"B1", "B2"}
    # Meanwhile the lapsed seats read as free to everyone, and the next run finishes the job.
    assert hold_seats(make_customer(username="next"), show, ["B1"]).booking.state == BookingState.HELD
    assert expire_holds() == (1, 0)  # B2
    assert not ShowSeat.objects.filter(show=show, state=SeatState.HELD, held_until__lt=timezone.now()).exists()


def test_a_seat_held_again_after_its_hold_lapsed_is_not_freed(show, alice, bob, clock):
    hold_seats(alice, show, ["A1"])
    clock.shift(HOLD + SECOND)
    sweep_started = timezone.now()  # the sweep's idea of now, taken before bob's hold commits
    again = hold_seats(bob, show, ["A1"]).booking
    assert expire_holds(now=sweep_started + SECOND) == (0, 1)  # alice's booking only
    a1 = seat(show, "A1")
    assert (a1.state, a1.booking_id) == (SeatState.HELD, again.pk)


def test_an_expired_booking_frees_the_customers_slot_for_a_new_hold(show, alice, clock):
    first = hold_seats(alice, show, ["A1"]).booking
    clock.shift(HOLD + SECOND)
    expire_holds()
    second = hold_seats(alice, show, ["A1"]).booking
    assert second.pk != first.pk
    assert second.state == BookingState.HELD
