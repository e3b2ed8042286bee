"""Food stock (docs/DESIGN.md §3): taken by a conditional UPDATE when a booking moves to
payment, given back when the checkout fails or is abandoned, the payment is undone or the
booking is cancelled; never below zero. Held bookings hold none."""

from datetime import timedelta

import pytest

from tests.factories import set_stock
from tests.fixtures.checkout import fund
from ticketing.errors import ItemSoldOut
from ticketing.models import BookingState, ConcessionStock, PaymentStatus
from ticketing.services.booking_items import set_items
from ticketing.services.cancellation import cancel_booking
from ticketing.services.checkout import release_abandoned_checkout, start_checkout
from ticketing.services.holds import hold_seats
from ticketing.services.wallet_part import give_back_wallet_part


def left(theater, item) -> int:
    return ConcessionStock.objects.get(theater=theater, item=item).quantity


@pytest.fixture
def stocked(theater, popcorn):
    return set_stock(theater, popcorn, 5)


def test_a_held_booking_takes_no_stock(held, popcorn, theater, stocked):
    set_items(held, [("POP-L", 2)])
    assert left(theater, popcorn) == 5


def test_paying_takes_the_stock_and_cancelling_gives_it_back(alice, held, popcorn, theater, stocked):
    fund(alice, "5000")
    booking = start_checkout(set_items(held, [("POP-L", 2)]), use_wallet=True).booking
    assert booking.state == BookingState.CONFIRMED
    assert left(theater, popcorn) == 3
    cancel_booking(booking, destination="wallet", reason="Changed plans")
    assert left(theater, popcorn) == 5
    cancel_booking(booking, destination="wallet", reason="Again")  # a repeat gives nothing more
    assert left(theater, popcorn) == 5


def test_a_gateway_checkout_takes_stock_and_a_failure_gives_it_back(held, popcorn, theater, stocked):
    booking = start_checkout(set_items(held, [("POP-L", 2)]), use_wallet=False).booking
    assert booking.state == BookingState.PAYMENT_PENDING
    assert left(theater, popcorn) == 3
    give_back_wallet_part(booking, reason="The payment failed")
    assert left(theater, popcorn) == 5
    booking.refresh_from_db()
    assert booking.state == BookingState.HELD


def test_an_abandoned_checkout_gives_the_stock_back(clock, held, popcorn, theater, stocked):
    booking = start_checkout(set_items(held, [("POP-L", 2)]), use_wallet=False).booking
    booking.payments.update(status=PaymentStatus.FAILED)  # as if no order had been recorded
    clock.shift(timedelta(minutes=2))
    assert release_abandoned_checkout(booking).state == BookingState.HELD
    assert left(theater, popcorn) == 5


def test_stock_that_ran_out_since_refuses_the_checkout_and_changes_nothing(alice, held, popcorn, theater, stocked):
    fund(alice, "5000")
    set_items(held, [("POP-L", 2)])
    ConcessionStock.objects.filter(item=popcorn).update(quantity=1)  # sold at the counter meanwhile
    with pytest.raises(ItemSoldOut, match="Large salted popcorn"):
        start_checkout(held, use_wallet=True)
    held.refresh_from_db()
    assert held.state == BookingState.HELD and left(theater, popcorn) == 1
    assert not held.wallet_transactions.exists()


def test_items_without_a_stock_row_are_not_counted(alice, held, popcorn):
    fund(alice, "10000")
    booking = start_checkout(set_items(held, [("POP-L", 20)]), use_wallet=True).booking
    assert booking.state == BookingState.CONFIRMED
    assert not ConcessionStock.objects.exists()


def test_a_sold_out_item_shows_as_unavailable_and_cannot_be_chosen(bob, show, popcorn, theater):
    set_stock(theater, popcorn, 0)
    booking = hold_seats(bob, show, ["A5"]).booking
    with pytest.raises(ItemSoldOut):
        set_items(booking, [("POP-L", 1)])
