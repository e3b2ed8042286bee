"""Counter sales are invoiced through the same finalizer; a void issues a credit note; the
PDF is for finance (a counter sale is never the seller's own booking)."""

from decimal import Decimal

import pytest

from home.roles import BOX_OFFICE, FINANCE
from tests.counter.conftest import TOTAL_A1_A2, sell_cash, signed_in, staff_in
from ticketing.models import CreditNote, Invoice
from ticketing.services import counter_sales, counter_shifts

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(db):
    return staff_in(BOX_OFFICE, "seller")


@pytest.fixture
def supervisor(db):
    return staff_in(FINANCE, "supervisor")


@pytest.fixture
def shift(seller):
    return counter_shifts.open_shift(seller, "Counter 1", "2000.00")


def test_counter_sale_invoiced_and_void_credited(entity, seller, shift, show, supervisor):
    booking = sell_cash(seller, show).booking
    invoice = Invoice.objects.get(booking=booking)
    assert invoice.number == "MQMH/26-27/00001" and invoice.total == TOTAL_A1_A2
    counter_sales.void_sale(supervisor, booking.reference, "Customer left")
    note = CreditNote.objects.get(invoice=invoice)
    assert (note.number, note.total, note.cgst + note.sgst) == ("CNMH/26-27/00001", TOTAL_A1_A2, Decimal("82.80"))


def test_counter_invoice_pdf_is_for_finance_only(entity, seller, shift, show, supervisor):
    booking = sell_cash(seller, show).booking
    assert signed_in(seller).get(f"/bookings/{booking.reference}/invoice.pdf").status_code == 404
    response = signed_in(supervisor).get(f"/bookings/{booking.reference}/invoice.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
