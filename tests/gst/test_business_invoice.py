"""Business invoices: a GSTIN and business name given at checkout name the recipient."""

import pytest

from tests.fixtures.checkout import committed, fund
from tests.gst.conftest import KA_GSTIN
from tests.gst.test_pdf import text_of
from ticketing.models import Booking
from ticketing.services.holds import hold_seats

pytestmark = pytest.mark.django_db


def pay_as_business(client, booking, **business):
    with committed():
        return client.post(
            f"/api/bookings/{booking.reference}/pay", {"use_wallet": True, **business}, content_type="application/json"
        )


def test_business_is_named_on_the_invoice(entity, as_alice, alice, show):
    booking = hold_seats(alice, show, ["A1"]).booking
    fund(alice, 1000)
    response = pay_as_business(as_alice, booking, business_gstin=KA_GSTIN.lower(), business_name="  Acme   Films LLP ")
    assert response.json()["state"] == "confirmed"
    invoice = Booking.objects.get(pk=booking.pk).invoice
    assert (invoice.recipient_gstin, invoice.recipient_name) == (KA_GSTIN, "Acme Films LLP")
    assert invoice.place_of_supply == "27" and invoice.igst == 0  # admission: where the cinema is


@pytest.mark.parametrize(
    ("business", "says"),
    [
        ({"business_gstin": "29AAACM1234A1Z5", "business_name": "Acme"}, "check character"),
        ({"business_gstin": KA_GSTIN}, "both the GSTIN and the business name"),
        ({"business_name": "Acme"}, "both the GSTIN and the business name"),
    ],
)
def test_bad_business_details_are_refused(entity, as_alice, alice, show, business, says):
    booking = hold_seats(alice, show, ["A1"]).booking
    fund(alice, 1000)
    response = pay_as_business(as_alice, booking, **business)
    assert response.status_code == 400 and says in response.json()["detail"]
    assert Booking.objects.get(pk=booking.pk).state == "held"  # nothing half-written


def test_business_invoice_pdf_names_the_recipient(entity, as_alice, alice, show):
    booking = hold_seats(alice, show, ["A1"]).booking
    fund(alice, 1000)
    pay_as_business(as_alice, booking, business_gstin=KA_GSTIN, business_name="Acme Films LLP")
    text = text_of(as_alice.get(f"/bookings/{booking.reference}/invoice.pdf"))
    assert "Acme Films LLP" in text and KA_GSTIN in text and "Karnataka (29)" in text
