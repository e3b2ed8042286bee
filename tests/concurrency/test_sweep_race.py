"""The expiry sweep beside holds, each on its own PostgreSQL connection: a lapsed seat that a
customer is re-claiming at that very moment is skipped, not waited for and never freed, and
a sweep racing a storm of re-holds leaves every seat either held by its new booking or free
(docs/DESIGN.md §3: expiry is lazy, the sweep only tidies)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
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


def test_a_seat_being_reclaimed_is_skipped_not_waited_for_and_not_freed():
    show = make_show(movie=make_movie())
    alice, bob = make_customer(username="alice"), make_customer(username="bob")
    hold_seats(alice, show, ["A1", "A2"])
    lapse(show)
    claimed, release = threading.Event(), threading.Event()

    def bob_reclaims():
        try:
            with transaction.atomic():
                ShowSeat.objects.filter(show=show, label="A1").update(
                    held_until=timezone.now() + timedelta(minutes=10)
                )  # the hold's conditional UPDATE, holding A1's row lock until commit
                claimed.set()
                release.wait(10)
        finally:
            connections.close_all()

    worker = threading.Thread(target=bob_reclaims)
    worker.start()
    assert claimed.wait(10)
    started = time.monotonic()
    seats, bookings = expire_holds()
    waited = time.monotonic() - started
    release.set()
    worker.join(10)
    assert waited < 5  # skipped the locked row instead of queueing behind the hold
    assert (seats, bookings) == (1, 1)  # A2 and alice's booking
    a1 = ShowSeat.objects.get(show=show, label="A1")
    assert a1.state == SeatState.HELD and a1.held_until > timezone.now()
    assert hold_seats(bob, show, ["A2"]).booking.state == BookingState.HELD


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
    assert not ShowSeat.objects.filter(show=show, label__startswith="B", state=SeatState.HELD).exists()
    assert set(Booking.objects.filter(user__in=first).values_list("state", flat=True)) == {BookingState.EXPIRED}
