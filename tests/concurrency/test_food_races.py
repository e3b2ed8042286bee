"""Food under concurrency, each worker on its own PostgreSQL connection: more buyers than
stock and exactly stock-many pay (the conditional UPDATE's row count decides, the count never
goes below zero); staff recording a delivery, waste or a counted total while customers pay
never overwrite a sale; two stands scanning one pickup code hand it over once."""

from decimal import Decimal

import pytest
from django.db import connection

from tests.concurrency.test_promo_race import run_together
from tests.factories import (
    make_concession,
    make_customer,
    make_layout,
    make_movie,
    make_screen,
    make_show,
    make_user,
    row,
    set_stock,
)
from ticketing.errors import ItemSoldOut, StockChangeRefused
from ticketing.models import BookingState, ConcessionStock
from ticketing.services.booking_items import set_items
from ticketing.services.checkout import start_checkout
from ticketing.services.holds import hold_seats
from ticketing.services.pickup import ALREADY_COLLECTED, HANDED_OVER, collect
from ticketing.services.stock_adjust import adjust_stock
from wallet import services as wallet

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks and many connections at once"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUYERS = 12
STOCK = 5


def test_more_buyers_than_stock_exactly_stock_many_succeed():
    show = make_show(movie=make_movie(), screen=make_screen(seat_layout=make_layout(rows=[row("A", BUYERS)])))
    popcorn = make_concession()
    set_stock(show.screen.theater, popcorn, STOCK)
    bookings = []
    for n in range(BUYERS):
        customer = make_customer(username=f"buyer{n}")
        wallet.credit(customer, Decimal("5000"), reason="Test")
        bookings.append(set_items(hold_seats(customer, show, [f"A{n + 1}"]).booking, [("POP-L", 1)]))
    results = run_together([lambda b=b: start_checkout(b, use_wallet=True) for b in bookings])
    unexpected = [r for r in results if isinstance(r, BaseException) and not isinstance(r, ItemSoldOut)]
    assert not unexpected, unexpected
    paid = [r for r in results if not isinstance(r, BaseException)]
    assert len(paid) == STOCK
    assert all(r.booking.state == BookingState.CONFIRMED for r in paid)
    assert ConcessionStock.objects.get(item=popcorn).quantity == 0
    refused = [b for b in bookings if b.pk not in {r.booking.pk for r in paid}]
    for booking in refused:
        booking.refresh_from_db()
        assert booking.state == BookingState.HELD  # nothing half-written: still held, wallet untouched
        assert not booking.wallet_transactions.exists()


def _stand_with_payers(count: int):
    """A stand counting STOCK large popcorns, its stock keeper, and ``count`` customers each
    holding one seat with one popcorn, funded to pay."""
    show = make_show(movie=make_movie(), screen=make_screen(seat_layout=make_layout(rows=[row("A", 10)])))
    popcorn = make_concession()
    stock = set_stock(show.screen.theater, popcorn, STOCK)
    keeper = make_user("ticketing.change_concessionstock", username="keeper")
    bookings = []
    for n in range(count):
        customer = make_customer(username=f"payer{n}")
        wallet.credit(customer, Decimal("5000"), reason="Test")
        bookings.append(set_items(hold_seats(customer, show, [f"A{n + 1}"]).booking, [("POP-L", 1)]))
    return stock, keeper, bookings


def test_checkouts_and_staff_changes_at_the_same_instant_all_count():
    stock, keeper, bookings = _stand_with_payers(4)
    work = [lambda b=b: start_checkout(b, use_wallet=True) for b in bookings]
    work += [
        lambda: adjust_stock(stock.pk, "received", 20, by=keeper, note="delivery"),
        lambda: adjust_stock(stock.pk, "wasted", 1, by=keeper, note="dropped"),
    ]
    results = run_together(work)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert ConcessionStock.objects.get(pk=stock.pk).quantity == STOCK - 4 + 20 - 1  # no change lost


def test_a_counted_total_racing_checkouts_never_overwrites_a_sale():
    stock, keeper, bookings = _stand_with_payers(3)
    work = [lambda b=b: start_checkout(b, use_wallet=True) for b in bookings]
    work.append(lambda: adjust_stock(stock.pk, "counted", 30, loaded=STOCK, by=keeper))  # the form showed 5
    results = run_together(work)
    sales, count = results[:3], results[3]
    assert not [r for r in sales if isinstance(r, BaseException)], sales
    assert all(r.booking.state == BookingState.CONFIRMED for r in sales)
    left = ConcessionStock.objects.get(pk=stock.pk).quantity
    if isinstance(count, StockChangeRefused):  # a sale came first: the count moved, nothing overwritten
        assert "since you opened this form" in count.message
        assert left == STOCK - 3
    else:  # the count came first: every sale is taken from it afterwards
        assert not isinstance(count, BaseException), count
        assert count.before == STOCK and left == 30 - 3


def test_two_stands_scanning_one_code_hand_it_over_once():
    show = make_show(movie=make_movie(), screen=make_screen(seat_layout=make_layout(rows=[row("A", 10)])))
    make_concession()
    stands = [make_user("ticketing.hand_over_food", username=f"stand{n}") for n in (1, 2)]
    codes = []
    for n in range(4):
        customer = make_customer(username=f"eater{n}")
        wallet.credit(customer, Decimal("5000"), reason="Test")
        booking = start_checkout(
            set_items(hold_seats(customer, show, [f"A{n + 1}"]).booking, [("POP-L", 2)]), use_wallet=True
        ).booking
        codes.append(booking.pickup.code)
    for code in codes:
        results = run_together([lambda stand=stand, code=code: collect(code, by=stand) for stand in stands])
        assert not [r for r in results if isinstance(r, BaseException)], results
        assert sorted(r.result for r in results) == sorted([HANDED_OVER, ALREADY_COLLECTED])
        winner = next(r for r in results if r.result == HANDED_OVER)
        loser = next(r for r in results if r.result == ALREADY_COLLECTED)
        assert loser.collected_at == winner.collected_at
