"""Fifty confirmations at once on PostgreSQL, each on its own connection: fifty consecutive
invoice numbers, no gap, no duplicate (the series row's lock in the confirming transaction)."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from cinema.models import TheaterPage
from tests.concurrency.test_promo_race import run_together
from tests.factories import make_customer, make_layout, make_movie, make_screen, make_show, row
from tests.gst.conftest import make_entity
from ticketing.models import BookingState, Invoice
from ticketing.services.checkout import start_checkout
from ticketing.services.holds import hold_seats
from wallet import services as wallet

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks and many connections at once"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def clock():
    """Real time: threads and the database must see the same clock."""
    yield None


def test_fifty_simultaneous_confirmations_get_fifty_consecutive_numbers():
    show = make_show(movie=make_movie(), screen=make_screen(seat_layout=make_layout(rows=[row("A", 25), row("B", 25)])))
    TheaterPage.objects.filter(pk=show.screen.theater_id).update(legal_entity=make_entity())
    bookings = []
    for index in range(50):
        customer = make_customer(username=f"racer{index}", email=f"racer{index}@example.com")
        wallet.credit(customer, Decimal("1000"), reason="Race")
        bookings.append(hold_seats(customer, show, [f"{'AB'[index // 25]}{index % 25 + 1}"]).booking)
    results = run_together([lambda booking=booking: start_checkout(booking, use_wallet=True) for booking in bookings])
    assert all(result.booking.state == BookingState.CONFIRMED for result in results), results
    invoices = list(Invoice.objects.order_by("sequence"))
    assert [invoice.sequence for invoice in invoices] == list(range(1, 51))
    assert len({invoice.number for invoice in invoices}) == 50
    assert {invoice.booking_id for invoice in invoices} == {booking.pk for booking in bookings}
    assert invoices[-1].number.endswith("/00050")


def test_issued_invoice_is_final_in_the_database():
    show = make_show(movie=make_movie())
    TheaterPage.objects.filter(pk=show.screen.theater_id).update(legal_entity=make_entity())
    customer = make_customer(username="final", email="final@example.com")
    wallet.credit(customer, Decimal("1000"), reason="Gift")
    start_checkout(hold_seats(customer, show, ["A1"]).booking, use_wallet=True)
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
        Invoice.objects.update(total=Decimal("1.00"))
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
        Invoice.objects.all().delete()
