"""Promo codes: each refusal names its reason, discounts follow the code's kind, cap and
categories, and uses are counted when a booking moves to payment (docs/DESIGN.md §3).

The clock is frozen at Fri 20 Nov 2026 10:00 IST. The default show has A1–A10 Classic at
₹200 and B1–B10 Prime at ₹250."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import local_dt, make_customer, make_movie, make_promo, make_show, make_theater
from ticketing.errors import BookingError, PromoRejected
from ticketing.models import Booking, BookingState, PromoCode
from ticketing.services.holds import hold_seats
from ticketing.services.pricing import quote
from ticketing.services.promos import apply_promo, begin_checkout, check_promo, find_promo, remove_promo, uses

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def booking(show, alice):
    """Alice holds A1 A2 (Classic, ₹400 of tickets)."""
    return hold_seats(alice, show, ["A1", "A2"]).booking


def used_booking(show, promo, state=BookingState.PAYMENT_PENDING, user=None, label="B10"):
    """Another booking that used the code (on its way to payment, or paid)."""
    user = user or make_customer()
    return Booking.objects.create(user=user, show=show, state=state, seats=[label], promo=promo)


def reason(code, booking) -> str:
    with pytest.raises(PromoRejected) as refused:
        find_promo(code, booking)
    assert refused.value.status == 400
    return refused.value.message


# --- finding a code ------------------------------------------------------------------------


def test_codes_are_case_insensitive_and_stored_in_capitals(booking):
    promo = make_promo(code=" summer20 ")
    assert promo.code == "SUMMER20"
    assert find_promo("Summer20", booking) == promo
    assert find_promo("  SUMMER20 ", booking) == promo


def test_codes_are_unique_whatever_their_case():
    make_promo(code="WELCOME")
    with pytest.raises(IntegrityError), transaction.atomic():
        PromoCode.objects.create(code="welcome", value=D("5"))


@pytest.mark.parametrize(
    "code, message",
    [
        ("", "Enter a promo code."),
        ("   ", "Enter a promo code."),
        (None, "Enter a promo code."),
        (42, "Enter a promo code."),
        ("X" * 31, "That is not a promo code."),
        ("nope", "There is no promo code NOPE."),
    ],
)
def test_a_code_that_is_not_there(booking, code, message):
    assert reason(code, booking) == message


# --- every refusal, with its reason --------------------------------------------------------


def test_inactive(booking):
    make_promo(code="OLD", active=False)
    assert reason("old", booking) == "The code OLD is no longer active."


def test_not_yet_valid(booking, clock):
    make_promo(code="XMAS", valid_from=local_dt(2026, 11, 25, 10))
    assert reason("xmas", booking) == "The code XMAS can be used from 25 Nov."
    clock.move_to(local_dt(2026, 11, 25, 10))
    assert find_promo("xmas", booking).code == "XMAS"


def test_expired(booking):
    make_promo(code="DIWALI", valid_from=local_dt(2026, 11, 1), valid_to=local_dt(2026, 11, 20, 9))
    assert reason("diwali", booking) == "The code DIWALI expired on 20 Nov."


def test_a_code_ends_at_its_end_time(booking, clock):
    make_promo(code="MORNING", valid_to=local_dt(2026, 11, 20, 10, 1))
    assert find_promo("morning", booking).code == "MORNING"
    clock.move_to(local_dt(2026, 11, 20, 10, 1))
    assert reason("morning", booking) == "The code MORNING expired on 20 Nov."


def test_expiry_dates_are_shown_in_india_time(booking):
    # 19:00 UTC on 19 Nov is 00:30 on 20 Nov in IST.
    make_promo(code="LATE", valid_to=local_dt(2026, 11, 20, 0, 30))
    assert reason("late", booking) == "The code LATE expired on 20 Nov."


def test_for_other_movies_only(booking):
    other = make_movie(title="Arrival", slug="arrival")
    make_promo(code="ARRIVAL", movies=[other])
    assert reason("arrival", booking) == "The code ARRIVAL is not valid for Dune."


def test_for_this_movie(booking, movie):
    make_promo(code="DUNE", movies=[movie])
    assert find_promo("dune", booking).code == "DUNE"


def test_for_other_theaters_only(booking, show):
    other = make_theater(title="Regal", slug="regal")
    make_promo(code="REGAL", theaters=[other])
    assert reason("regal", booking) == f"The code REGAL is not valid at {show.screen.theater.title}."
    make_promo(code="HERE", theaters=[show.screen.theater, other])
    assert find_promo("here", booking).code == "HERE"


def test_for_other_seat_categories_only(booking):
    make_promo(code="PRIME", seat_categories="Prime, Recliner")
    assert reason("prime", booking) == "The code PRIME is only for Prime, Recliner seats."


def test_a_category_code_applies_when_one_seat_qualifies(show, alice):
    mixed = hold_seats(alice, show, ["A1", "B1"]).booking
    make_promo(code="PRIME", seat_categories="prime")
    assert find_promo("prime", mixed).code == "PRIME"


def test_minimum_order(booking):
    make_promo(code="BIG", min_order=D("500"))
    assert reason("big", booking) == "The code BIG needs a minimum order of ₹500.00 (tickets before fees and GST)."


def test_minimum_order_is_inclusive(booking):
    make_promo(code="EXACT", min_order=D("400"))
    assert find_promo("exact", booking).code == "EXACT"


def test_first_booking_only(show, booking, alice):
    make_promo(code="FIRST", first_booking_only=True)
    assert find_promo("first", booking).code == "FIRST"
    used_booking(show, None, state=BookingState.CONFIRMED, user=alice)
    assert reason("first", booking) == "The code FIRST is for a first booking only."


def test_first_booking_only_counts_a_booking_already_on_its_way_to_payment(show, movie, alice):
    """Alice checks out her first booking with FIRST and, before paying, holds seats at
    another show: that second booking is not her first, so FIRST must be refused there too.
    Counting only confirmed bookings lets one customer take the first-booking discount on
    every booking they check out before the first payment lands."""
    make_promo(code="FIRST", first_booking_only=True)
    first = apply_promo(hold_seats(alice, show, ["A1"]).booking, "first")
    begin_checkout(first)
    later = make_show(movie=movie, screen=show.screen, starts_at=show.starts_at + timedelta(days=1))
    second = hold_seats(alice, later, ["A1"]).booking
    assert reason("first", second) == "The code FIRST is for a first booking only."


def test_per_customer_limit(show, booking, alice):
    promo = make_promo(code="TWICE", per_customer_limit=2)
    used_booking(show, promo, user=alice, label="B9")
    used_booking(show, promo)  # someone else's use does not count against alice
    assert find_promo("twice", booking) == promo
    used_booking(show, promo, state=BookingState.CONFIRMED, user=alice, label="B8")
    assert reason("twice", booking) == "You have already used the code TWICE as many times as it allows."


def test_total_limit(show, booking):
    promo = make_promo(code="FIVE", total_limit=2)
    used_booking(show, promo)
    assert find_promo("five", booking) == promo
    used_booking(show, promo, state=BookingState.CONFIRMED)
    assert reason("five", booking) == "The code FIVE has been fully used."


@pytest.mark.parametrize(
    "state, counts",
    [
        (BookingState.HELD, False),
        (BookingState.PAYMENT_PENDING, True),
        (BookingState.CONFIRMED, True),
        (BookingState.EXPIRED, False),
        (BookingState.CANCELLED, False),
    ],
)
def test_which_bookings_count_as_a_use(show, state, counts):
    promo = make_promo(code="ONCE", total_limit=1)
    used_booking(show, promo, state=state)
    assert uses(promo) == int(counts)


def test_an_expired_booking_frees_its_use(show, booking):
    promo = make_promo(code="ONCE", total_limit=1)
    other = used_booking(show, promo)
    assert reason("once", booking) == "The code ONCE has been fully used."
    Booking.objects.filter(pk=other.pk).update(state=BookingState.EXPIRED)
    assert find_promo("once", booking) == promo


def test_an_expired_hold_never_used_the_code(show, alice, clock):
    """A hold with the code that runs out (and is swept) leaves the code's one use free."""
    from ticketing.services.holds import expire_holds

    promo = make_promo(code="ONCE", total_limit=1)
    first = apply_promo(hold_seats(alice, show, ["A1"]).booking, "once")
    clock.shift(timedelta(minutes=11))
    expire_holds()
    first.refresh_from_db()
    assert first.state == BookingState.EXPIRED
    bob = make_customer(username="bob")
    second = apply_promo(hold_seats(bob, show, ["A2"]).booking, "once")
    assert begin_checkout(second).state == BookingState.PAYMENT_PENDING
    assert uses(promo) == 1


# --- what a code takes off -----------------------------------------------------------------


@pytest.mark.parametrize(
    "promo, discount",
    [
        ({"kind": "percent", "value": D("10")}, "40.00"),
        ({"kind": "percent", "value": D("25"), "max_discount": D("75")}, "75.00"),
        ({"kind": "percent", "value": D("15"), "max_discount": D("75")}, "60.00"),
        ({"kind": "percent", "value": D("100")}, "400.00"),
        ({"kind": "flat", "value": D("120")}, "120.00"),
        ({"kind": "flat", "value": D("999")}, "400.00"),
    ],
)
def test_discounts(booking, promo, discount):
    make_promo(code="CODE", **promo)
    assert quote(apply_promo(booking, "code")).discount == D(discount)


def test_a_category_code_only_discounts_those_seats(show, alice):
    mixed = hold_seats(alice, show, ["A1", "B1", "B2"]).booking  # ₹200 + 2 × ₹250
    make_promo(code="PRIME", value=D("20"), seat_categories="PRIME")
    result = quote(apply_promo(mixed, "prime"))
    assert (result.base, result.discount) == (D("700.00"), D("100.00"))


def test_a_flat_category_code_is_capped_by_those_seats(show, alice):
    mixed = hold_seats(alice, show, ["A1", "B1"]).booking
    make_promo(code="PRIMEFLAT", kind="flat", value=D("300"), seat_categories="Prime")
    assert quote(apply_promo(mixed, "primeflat")).discount == D("250.00")


def test_promo_validation():
    with pytest.raises(ValidationError, match="at most 100"):
        make_promo(code="TOOMUCH", value=D("101"))
    with pytest.raises(ValidationError, match="after the start"):
        make_promo(code="BACKWARDS", valid_from=local_dt(2026, 12, 1), valid_to=local_dt(2026, 11, 1))
    make_promo(code="FLATBIG", kind="flat", value=D("101"))


# --- applying, removing, checking out ------------------------------------------------------


def test_apply_and_remove(booking):
    make_promo(code="TEN")
    applied = apply_promo(booking, "ten")
    assert applied.promo.code == "TEN"
    assert Booking.objects.get(pk=booking.pk).promo.code == "TEN"
    removed = remove_promo(booking)
    assert removed.promo is None
    assert Booking.objects.get(pk=booking.pk).promo_id is None
    assert remove_promo(booking).promo_id is None  # again: nothing to remove


def test_a_refused_code_leaves_the_booking_as_it_was(booking):
    make_promo(code="TEN")
    apply_promo(booking, "ten")
    make_promo(code="BIG", min_order=D("5000"))
    with pytest.raises(PromoRejected):
        apply_promo(booking, "big")
    assert Booking.objects.get(pk=booking.pk).promo.code == "TEN"


def test_codes_only_go_on_held_bookings(booking):
    make_promo(code="TEN")
    begin_checkout(booking)
    with pytest.raises(BookingError, match="only be added while your seats are held"):
        apply_promo(booking, "ten")


def test_checkout_moves_the_hold_to_payment_and_counts_the_use(booking):
    promo = make_promo(code="TEN", total_limit=1)
    apply_promo(booking, "ten")
    assert uses(promo) == 0  # a hold is not a use yet
    moved = begin_checkout(booking)
    assert moved.state == BookingState.PAYMENT_PENDING
    assert uses(promo) == 1


def test_checkout_without_a_code(booking):
    assert begin_checkout(booking).state == BookingState.PAYMENT_PENDING


def test_checkout_refuses_when_the_last_use_went_meanwhile(show, booking):
    """Two customers applied the one-use code while holding; the second to check out is told."""
    promo = make_promo(code="ONCE", total_limit=1)
    apply_promo(booking, "once")
    bob = make_customer(username="bob")
    theirs = apply_promo(hold_seats(bob, show, ["B1"]).booking, "once")
    begin_checkout(theirs)
    with pytest.raises(PromoRejected, match="has been fully used"):
        begin_checkout(booking)
    booking.refresh_from_db()
    assert booking.state == BookingState.HELD
    assert uses(promo) == 1


def test_checkout_rechecks_the_code(booking, clock):
    make_promo(code="TODAY", valid_to=local_dt(2026, 11, 20, 10, 5))
    apply_promo(booking, "today")
    clock.move_to(local_dt(2026, 11, 20, 10, 6))
    with pytest.raises(PromoRejected, match="expired on 20 Nov"):
        begin_checkout(booking)
    assert Booking.objects.get(pk=booking.pk).state == BookingState.HELD


def test_checkout_only_from_held(booking):
    begin_checkout(booking)
    with pytest.raises(BookingError, match="no longer held"):
        begin_checkout(booking)


def test_check_promo_takes_a_time(booking):
    promo = make_promo(code="LATER", valid_from=local_dt(2026, 11, 25))
    with pytest.raises(PromoRejected):
        check_promo(promo, booking)
    check_promo(promo, booking, now=local_dt(2026, 11, 26))
