"""Partial cancellations under concurrency, each worker on its own PostgreSQL connection: two
cancellations of one booking at once never refund a seat twice (the booking's row lock; the
quote is worked out again under it) and the wallet's balance stays its ledger's sum; a
cancellation racing the door's check-in of the same ticket: exactly one wins (both are one
conditional UPDATE on `used_at IS NULL AND voided_at IS NULL`)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from tests.concurrency.test_promo_race import run_together
from tests.factories import make_customer, make_layout, make_movie, make_screen, make_show, make_user, row
from ticketing.errors import BookingError, SeatAdmitted
from ticketing.models import Booking, Refund, SeatState, ShowSeat, Ticket
from ticketing.services.cancellation import cancel_by_customer
from ticketing.services.checkin import check_in
from ticketing.services.checkout import start_checkout
from ticketing.services.holds import hold_seats
from wallet import services as wallet
from wallet.models import Wallet, WalletTransaction

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks and many connections at once"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SEATS = ["A1", "A2", "A3", "A4"]


@pytest.fixture
def clock():
    """Real time: threads and the database must see the same clock."""
    yield None


@pytest.fixture
def booking():
    show = make_show(movie=make_movie(), screen=make_screen(seat_layout=make_layout(rows=[row("A", 10)], categories=["Classic"])))
    customer = make_customer(username="asha")
    wallet.credit(customer, Decimal("5000"), reason="Test")
    return start_checkout(hold_seats(customer, show, SEATS).booking, use_wallet=True).booking


def assert_wallet_is_its_ledger(user):
    ledger = WalletTransaction.objects.filter(wallet__user=user).aggregate(total=Sum("amount"))["total"]
    assert Wallet.objects.get(user=user).balance == ledger


def test_the_same_seat_cancelled_twice_at_once_is_refunded_once(booking):
    for label in SEATS[:3]:
        results = run_together([lambda label=label: cancel_by_customer(booking, [label], "wallet") for _ in range(2)])
        won = [r for r in results if isinstance(r, Booking)]
        lost = [r for r in results if isinstance(r, BookingError)]
        assert (len(won), len(lost)) == (1, 1), results
        assert lost[0].message == f"{label} is not in this booking."
    refunds = Refund.objects.filter(booking=booking)
    assert refunds.count() == 3
    fresh = Booking.objects.get(pk=booking.pk)
    assert fresh.seats == ["A4"] and fresh.cancelled_value == refunds.aggregate(total=Sum("amount"))["total"]
    assert_wallet_is_its_ledger(booking.user)


def test_different_seats_cancelled_at_once_both_count_once(booking):
    results = run_together([lambda label=label: cancel_by_customer(booking, [label], "wallet") for label in ("A1", "A2")])
    assert all(isinstance(r, Booking) for r in results), results
    fresh = Booking.objects.get(pk=booking.pk)
    assert fresh.seats == ["A3", "A4"]
    assert Refund.objects.filter(booking=booking).aggregate(total=Sum("amount"))["total"] == fresh.cancelled_value
    assert fresh.cancelled_value * 2 == fresh.total  # two of four equal seats
    assert set(ShowSeat.objects.filter(show=booking.show, state=SeatState.AVAILABLE).values_list("label", flat=True)) >= {
        "A1",
        "A2",
    }
    assert_wallet_is_its_ledger(booking.user)


def test_a_cancellation_racing_the_check_in_of_its_ticket_one_wins(booking):
    door = make_user("ticketing.check_in_ticket", username="door")
    for label in SEATS[:3]:
        code = Ticket.objects.get(booking=booking, seat_label=label).code
        cancelled, scanned = run_together(
            [lambda label=label: cancel_by_customer(booking, [label], "wallet"), lambda code=code: check_in(code, by=door)]
        )
        ticket = Ticket.objects.get(code=code)
        if isinstance(cancelled, Booking):
            assert scanned.result == "cancelled" and ticket.used_at is None and ticket.voided_at is not None
        else:
            assert isinstance(cancelled, SeatAdmitted), cancelled
            assert scanned.result == "admitted" and ticket.used_at is not None and ticket.voided_at is None
    fresh = Booking.objects.get(pk=booking.pk)
    voided = Ticket.objects.filter(booking=booking, voided_at__isnull=False).count()
    assert Refund.objects.filter(booking=booking).count() == voided == len(SEATS) - len(fresh.seats)
    assert_wallet_is_its_ledger(booking.user)
