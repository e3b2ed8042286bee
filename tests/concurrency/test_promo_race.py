"""A promo code limited to five uses, thirty customers checking out with it at the same
instant, each on its own PostgreSQL connection: the lock on the code's row lets exactly five
through (docs/DESIGN.md §3, promo usage limits)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from tests.factories import make_customer, make_layout, make_movie, make_promo, make_screen, make_show, row
from ticketing.errors import PromoRejected
from ticketing.models import Booking, BookingState
from ticketing.services.holds import hold_seats
from ticketing.services.promos import apply_promo, begin_checkout, uses

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks and many connections at once"),
    pytest.mark.postgres,
]

CHECKOUTS = 30
LIMIT = 5


def run_together(workers) -> list:
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait(timeout=60)
            results[index] = work()
        except BaseException as error:
            results[index] = error
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_code_limited_to_five_uses_is_used_five_times_under_thirty_checkouts():
    show = make_show(movie=make_movie(), screen=make_screen(seat_layout=make_layout(rows=[row("A", 20), row("B", 20)])))
    promo = make_promo(code="FIVE", kind="flat", value=Decimal("50"), total_limit=LIMIT)
    labels = [f"{r}{n}" for r in "AB" for n in range(1, 21)]
    bookings = []
    for n in range(CHECKOUTS):
        held = hold_seats(make_customer(username=f"shopper{n}"), show, [labels[n]]).booking
        bookings.append(apply_promo(held, "five"))  # holding with the code is not yet a use
    assert uses(promo) == 0

    results = run_together([lambda b=b: begin_checkout(b) for b in bookings])

    succeeded = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, PromoRejected)]
    other = [r for r in results if not isinstance(r, Booking | PromoRejected)]
    assert not other, other[:3]
    assert len(succeeded) == LIMIT
    assert len(refused) == CHECKOUTS - LIMIT
    assert {r.message for r in refused} == {"The code FIVE has been fully used."}

    assert uses(promo) == LIMIT
    assert Booking.objects.filter(promo=promo, state=BookingState.PAYMENT_PENDING).count() == LIMIT
    assert Booking.objects.filter(promo=promo, state=BookingState.HELD).count() == CHECKOUTS - LIMIT
    assert {b.pk for b in succeeded} == set(
        Booking.objects.filter(promo=promo, state=BookingState.PAYMENT_PENDING).values_list("pk", flat=True)
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_per_customer_limit_holds_across_simultaneous_checkouts_at_six_shows():
    """One customer, one use allowed, checking out at six shows at once: one goes through."""
    movie = make_movie()
    customer = make_customer(username="eager")
    promo = make_promo(code="ONCEEACH", per_customer_limit=1)
    bookings = []
    for _ in range(6):
        show = make_show(movie=movie, screen=make_screen())
        bookings.append(apply_promo(hold_seats(customer, show, ["A1"]).booking, "onceeach"))

    results = run_together([lambda b=b: begin_checkout(b) for b in bookings])

    assert sum(isinstance(r, Booking) for r in results) == 1
    assert all(isinstance(r, Booking | PromoRejected) for r in results), results
    assert uses(promo, customer) == 1
