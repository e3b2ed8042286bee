"""The tax invoice issued when a booking is paid: numbered in the confirming transaction, its
lines from the frozen quote, CGST and SGST halves summing to each line's tax."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.money import ZERO
from tests.gst.conftest import MH_GSTIN
from tests.tickets.conftest import confirm
from ticketing.models import Invoice, IssuedDocumentChanged
from ticketing.services.invoice_numbers import financial_year, format_number
from ticketing.services.invoices import split_tax

pytestmark = pytest.mark.django_db
IST = ZoneInfo("Asia/Kolkata")


def test_paid_booking_gets_an_invoice(paid):
    invoice = paid.invoice
    assert invoice.number == "MQMH/26-27/00001"
    assert invoice.gstin == MH_GSTIN and invoice.place_of_supply == "27"
    assert invoice.total == paid.total
    admission, fee = invoice.lines
    # A1–A3 Classic ₹200: 18% (above ₹100); fee ₹30 each at 18%
    assert (admission["sac"], admission["quantity"], admission["taxable_value"], admission["tax"]) == (
        "999615",
        3,
        "600.00",
        "108.00",
    )
    assert (admission["cgst"], admission["sgst"], admission["igst"]) == ("54.00", "54.00", "0.00")
    assert (fee["sac"], fee["quantity"], fee["taxable_value"], fee["tax"]) == ("998599", 3, "90.00", "16.20")
    assert invoice.taxable_value == Decimal("690.00") and invoice.cgst == invoice.sgst == Decimal("62.10")


def test_numbers_are_consecutive(paid, as_alice, alice, show):
    second = confirm(as_alice, alice, show, ["B1"])
    assert second.invoice.number == "MQMH/26-27/00002"
    assert second.invoice.sequence == paid.invoice.sequence + 1


def test_no_entity_no_invoice(as_alice, alice, show):
    booking = confirm(as_alice, alice, show, ["A1"])
    assert not Invoice.objects.filter(booking=booking).exists()


def test_issued_invoice_cannot_change(paid):
    invoice = paid.invoice
    invoice.total = ZERO
    with pytest.raises(IssuedDocumentChanged):
        invoice.save()
    with pytest.raises(IssuedDocumentChanged):
        invoice.delete()


@pytest.mark.parametrize(
    ("moment", "year"),
    [
        (datetime(2027, 3, 31, 23, 59, 59, tzinfo=IST), "26-27"),
        (datetime(2027, 4, 1, 0, 0, 0, tzinfo=IST), "27-28"),
        (datetime(2027, 3, 31, 18, 30, 0, tzinfo=ZoneInfo("UTC")), "27-28"),  # 1 April 00:00 IST
        (datetime(2099, 12, 31, 12, 0, tzinfo=IST), "99-00"),
    ],
)
def test_financial_year(moment, year):
    assert financial_year(moment) == year


def test_new_series_each_financial_year(entity, as_alice, alice, show, clock):
    clock.move_to(datetime(2027, 3, 31, 23, 59, 59, tzinfo=IST))
    show.starts_at = datetime(2027, 4, 2, 18, 0, tzinfo=IST)
    show.save()
    as_alice.force_login(alice)  # four months on: a new session
    last = confirm(as_alice, alice, show, ["A1"])
    clock.move_to(datetime(2027, 4, 1, 0, 0, 0, tzinfo=IST))
    as_alice.force_login(alice)
    first = confirm(as_alice, alice, show, ["A2"])
    assert last.invoice.number == "MQMH/26-27/00001"
    assert first.invoice.number == "MQMH/27-28/00001"
    assert first.invoice.issued_at - last.invoice.issued_at == timedelta(seconds=1)


@pytest.mark.parametrize("tax", ["0.01", "0.05", "10.81", "97.23", "100.00"])
def test_halves_sum_to_the_tax(tax):
    split = split_tax(Decimal(tax), Decimal("18"), inter_state=False)
    assert split["cgst"] + split["sgst"] == Decimal(tax)
    assert abs(split["cgst"] - split["sgst"]) <= Decimal("0.01")
    assert split["cgst_rate"] == split["sgst_rate"] == Decimal("9")


def test_igst_between_states():
    split = split_tax(Decimal("10.81"), Decimal("18"), inter_state=True)
    assert (split["cgst"], split["sgst"], split["igst"]) == (ZERO, ZERO, Decimal("10.81"))


def test_number_fits_sixteen_characters():
    assert format_number("MQMH", "26-27", 42) == "MQMH/26-27/00042"
    assert len(format_number("MQ", "26-27", 42)) == 16
