"""The expiry sweep beside holds, each on its own PostgreSQL connection: a sweep racing a
storm of re-holds leaves every seat either held by its new booking or reading as free, and
expires only the lapsed bookings (docs/DESIGN.md §3: expiry is lazy, the sweep only closes
bookings)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.concurrency.test_promo_race import run_together
from tests.factories import make_customer, make_movie, make_show
from ticketing.models import Booking, BookingState, SeatState, ShowSeat
from ticketing.services.holds import expire_holds, hold_seats

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks and many connections at once"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def lapse(show) -> None:
    past = timezone.now() - timedelta(minutes=1)
    ShowSeat.objects.filter(show=show, state=SeatState.HELD).update(held_until=past)
    Booking.objects.filter(show=show, state=BookingState.HELD).update(held_until=past)


def test_sweeps_racing_re_holds_never_free_a_seat_held_again():
    show = make_show(movie=make_movie())
    first = [make_customer(username=f"first{n}") for n in range(10)]
    second = [make_customer(username=f"second{n}") for n in range(10)]
    for n, customer in enumerate(first):
        hold_seats(customer, show, [f"A{n + 1}", f"B{n + 1}"])
    lapse(show)
    actions = [lambda n=n, c=c: hold_seats(c, show, [f"A{n + 1}"]) for n, c in enumerate(second)]
    actions += [expire_holds for _ in range(4)]
    results = run_together(actions)
    assert not [result for result in results if isinstance(result, BaseException)]
    expire_holds()
    for n, customer in enumerate(second):
        seat = ShowSeat.objects.get(show=show, label=f"A{n + 1}")
        booking = Booking.objects.get(user=customer, show=show)
        assert (seat.state, seat.booking_id, booking.state) == (SeatState.HELD, booking.pk, BookingState.HELD)
        assert seat.held_until > timezone.now()
    lapsed = ShowSeat.objects.filter(show=show, label__startswith="B")
    assert not lapsed.filter(state=SeatState.HELD, held_until__gte=timezone.now()).exists()  # all read as free
    assert set(Booking.objects.filter(user__in=first).values_list("state", flat=True)) == {BookingState.EXPIRED}
