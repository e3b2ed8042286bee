"""Food and drinks on the tax invoice: a line per item with its own name and quantity under the
food SAC (restaurant service), the items' taxes adding up to the quote's food tax; and the
counter's 80 mm slip names the invoice."""

from decimal import Decimal

import pytest

from tests.counter.conftest import signed_in
from tests.factories import make_concession
from tests.gst.test_pdf import text_of
from ticketing.models import Invoice
from ticketing.services import counter_sales

pytestmark = pytest.mark.django_db


@pytest.fixture
def menu(db):
    return make_concession(), make_concession(sku="COLA", name="Cola 500 ml", price="120.00", category="drinks")


def food_only(seller, show, items):
    return counter_sales.sell_at_counter(seller, show.pk, [], method="upi", reference="UPI12345", items=items).booking


def test_food_only_counter_sale_invoice_lines(entity, seller, shift, show, menu):
    booking = food_only(seller, show, [("POP-L", 2), ("COLA", 1)])
    invoice = Invoice.objects.get(booking=booking)
    lines = [(line["description"], line["sac"], line["quantity"], line["taxable_value"], line["tax"]) for line in invoice.lines]
    assert lines == [
        ("Large salted popcorn (food and drinks (restaurant service))", "996331", 2, "600.00", "30.00"),
        ("Cola 500 ml (food and drinks (restaurant service))", "996331", 1, "120.00", "6.00"),
    ]
    assert all(line["kind"] == "food" and line["cgst"] == line["sgst"] for line in invoice.lines)
    assert invoice.total == booking.total == Decimal("756.00")


def test_item_taxes_add_up_to_the_quotes_food_tax(entity, seller, shift, show):
    """Odd paise: 3 × ₹33.33 and 1 × ₹10.01 at 5% — the shares still sum to the quote's tax."""
    make_concession(sku="NACHO", name="Nachos", price="33.33")
    make_concession(sku="MINT", name="Mints", price="10.01")
    booking = food_only(seller, show, [("NACHO", 3), ("MINT", 1)])
    invoice = Invoice.objects.get(booking=booking)
    food_tax = next(Decimal(t["amount"]) for t in booking.price_breakdown["taxes"] if t["kind"] == "food")
    assert sum(Decimal(line["tax"]) for line in invoice.lines) == food_tax
    assert sum(Decimal(line["taxable_value"]) for line in invoice.lines) == Decimal("110.00")
    assert [line["quantity"] for line in invoice.lines] == [3, 1]
    assert invoice.total == booking.total
    assert all(Decimal(line["cgst"]) + Decimal(line["sgst"]) == Decimal(line["tax"]) for line in invoice.lines)


def test_food_only_invoice_pdf_text(entity, seller, shift, show, menu, supervisor):
    booking = food_only(seller, show, [("POP-L", 2), ("COLA", 1)])
    text = text_of(signed_in(supervisor).get(f"/bookings/{booking.reference}/invoice.pdf"))
    for expected in ("MQMH/26-27/00001", "Large salted popcorn", "Cola 500 ml", "restaurant service", "996331", "₹756.00"):
        assert expected in text, expected


def test_counter_slip_names_the_invoice(entity, seller, shift, show, menu):
    sold = counter_sales.sell_at_counter(seller, show.pk, ["A1"], method="cash", tendered="500.00")
    html = signed_in(seller).get(f"/admin/counter/sales/{sold.booking.reference}/tickets/").content.decode()
    assert 'data-invoice="MQMH/26-27/00001"' in html and "GSTIN 27AAACM1234A1Z8" in html
    pdf = text_of(signed_in(seller).get(f"/admin/counter/sales/{sold.booking.reference}/tickets/?format=pdf"))
    assert "Tax invoice MQMH/26-27/00001" in pdf
    food = food_only(seller, show, [("COLA", 1)])
    html = signed_in(seller).get(f"/admin/counter/sales/{food.reference}/tickets/").content.decode()
    assert 'data-invoice="MQMH/26-27/00002"' in html
