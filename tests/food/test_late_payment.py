"""A payment that arrives after the hold lapsed and the reconcile task gave the food stock back
(ticketing/services/finalize.py): the finalizer takes the stock again under the savepoint that
re-sells the seats. Stock still there: confirmed with its items and a pickup code. Stock gone
meanwhile: refunded in full (both parts), nothing oversold, the stock others bought untouched."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail

from tests.factories import set_stock
from tests.fixtures.checkout import TOTAL_A1_A2, callback, committed, fund, pay
from ticketing.models import BookingItem, BookingState, ConcessionStock, FoodPickup, PaymentStatus, SeatState, ShowSeat
from ticketing.services.booking_items import set_items
from ticketing.services.checkout import start_checkout
from ticketing.services.holds import hold_seats
from ticketing.services.reconcile import reconcile_payments
from wallet.models import Wallet

POPCORNS = Decimal("630.00")  # two large popcorns at ₹300 and their 5 % GST


@pytest.fixture
def stock(theater, popcorn):
    return set_stock(theater, popcorn, 5)


def left(stock) -> int:
    return ConcessionStock.objects.get(pk=stock.pk).quantity


@pytest.fixture
def lapsed(clock, as_alice, held, stock, sandbox):
    """Alice opened a gateway order for A1 + A2 and two popcorns, then let the hold lapse; the
    reconcile task closed the order and gave the popcorns back. Returns the order id."""
    set_items(held, [("POP-L", 2)])
    order_id = pay(as_alice, held).json()["order_id"]
    assert left(stock) == 3
    clock.shift(timedelta(minutes=16))
    with committed():
        assert reconcile_payments(gateway=sandbox)["closed"] == 1
    held.refresh_from_db()
    assert held.state == BookingState.EXPIRED and left(stock) == 5
    assert not BookingItem.objects.filter(booking=held, stock_taken=True).exists()
    return order_id


def pays_late(as_alice, sandbox, order_id):
    return callback(as_alice, sandbox, order_id, sandbox.pay(order_id).payment_id)


def test_stock_still_there_confirms_with_the_items_and_takes_them_again(as_alice, held, stock, sandbox, lapsed):
    pays_late(as_alice, sandbox, lapsed)
    held.refresh_from_db()
    assert held.state == BookingState.CONFIRMED
    assert left(stock) == 3  # taken once more, exactly
    assert list(held.items.values_list("sku", "quantity", "stock_taken")) == [("POP-L", 2, True)]
    assert FoodPickup.objects.get(booking=held).code.startswith("FD")
    assert held.tickets.count() == 2 and not held.refunds.exists()
    (confirmation,) = [m for m in mail.outbox if "confirmed" in m.subject.lower()]
    assert held.pickup.code in confirmation.body


def test_stock_gone_refunds_in_full_and_oversells_nothing(as_alice, alice, bob, held, show, stock, sandbox, lapsed):
    fund(bob, "5000")
    theirs = set_items(hold_seats(bob, show, ["B1"]).booking, [("POP-L", 4)])
    assert start_checkout(theirs, use_wallet=True).booking.state == BookingState.CONFIRMED
    assert left(stock) == 1  # one popcorn left; Alice paid for two
    pays_late(as_alice, sandbox, lapsed)
    held.refresh_from_db()
    assert held.state == BookingState.EXPIRED
    refund = held.refunds.get()
    assert (refund.destination, refund.amount, refund.status) == ("source", TOTAL_A1_A2 + POPCORNS, "processed")
    assert held.payments.get().status == PaymentStatus.PAID  # paid, and all of it sent back
    assert left(stock) == 1  # nothing oversold, Bob's four untouched
    assert not FoodPickup.objects.filter(booking=held).exists() and not held.tickets.exists()
    assert not BookingItem.objects.filter(booking=held, stock_taken=True).exists()
    assert not ShowSeat.objects.filter(show=show, label__in=["A1", "A2"], state=SeatState.SOLD).exists()
    assert "refunded" in mail.outbox[-1].subject


def test_stock_gone_returns_the_wallet_part_too(clock, as_alice, alice, bob, held, show, stock, sandbox):
    fund(alice, "100")
    set_items(held, [("POP-L", 2)])
    order_id = pay(as_alice, held, use_wallet=True).json()["order_id"]
    clock.shift(timedelta(minutes=16))
    with committed():
        reconcile_payments(gateway=sandbox)
    set_stock(held.show.screen.theater, held.items.get().item, 1)  # the stand counted only one left
    pays_late(as_alice, sandbox, order_id)
    held.refresh_from_db()
    assert held.state == BookingState.EXPIRED
    assert held.refunds.get().amount == TOTAL_A1_A2 + POPCORNS - 100
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")
    assert left(stock) == 1


def test_a_lapsed_hold_whose_stock_was_never_given_back_is_not_taken_twice(clock, as_alice, held, stock, sandbox):
    set_items(held, [("POP-L", 2)])
    order_id = pay(as_alice, held).json()["order_id"]
    clock.shift(timedelta(minutes=12))  # the hold lapsed; no reconcile ran yet
    pays_late(as_alice, sandbox, order_id)
    held.refresh_from_db()
    assert held.state == BookingState.CONFIRMED and left(stock) == 3


def test_one_item_gone_takes_none_of_the_others(clock, as_alice, held, theater, stock, cola, sandbox):
    cans = set_stock(theater, cola, 3)
    set_items(held, [("POP-L", 2), ("COLA", 1)])
    order_id = pay(as_alice, held).json()["order_id"]
    clock.shift(timedelta(minutes=16))
    with committed():
        reconcile_payments(gateway=sandbox)
    ConcessionStock.objects.filter(pk=cans.pk).update(quantity=0)  # the cola sold out at the counter
    pays_late(as_alice, sandbox, order_id)
    held.refresh_from_db()
    assert held.state == BookingState.EXPIRED and held.refunds.get().status == "processed"
    assert (left(stock), left(cans)) == (5, 0)  # the popcorns taken before the cola failed went back


def test_seats_gone_gives_back_the_stock_it_took_again(as_alice, bob, held, show, stock, sandbox, lapsed):
    hold_seats(bob, show, ["A2"])  # the seat went to someone else; the popcorns are still there
    pays_late(as_alice, sandbox, lapsed)
    held.refresh_from_db()
    assert held.state == BookingState.EXPIRED and held.refunds.get().amount == TOTAL_A1_A2 + POPCORNS
    assert left(stock) == 5
