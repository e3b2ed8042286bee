"""The invoice and credit-note PDFs: what they say (text extracted with pypdf) and who may have them."""

import io

import pytest
from pypdf import PdfReader

from tests.factories import make_user
from tests.fixtures.checkout import signed_in
from tests.gst.conftest import MH_GSTIN
from ticketing.services.cancellation import cancel_booking

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_invoice_pdf_says_what_rule_46_asks(paid, as_alice):
    text = text_of(as_alice.get(f"/bookings/{paid.reference}/invoice.pdf"))
    for expected in (
        "Tax invoice",
        "Marquee Cinemas Private Limited",
        MH_GSTIN,
        "MQMH/26-27/00001",
        "Place of supply: Maharashtra (27)",
        "999615",
        "998599",
        "₹600.00",
        "₹54.00",
        "₹814.20",
        "Rupees eight hundred fourteen and twenty paise only",
        "Dune",
        paid.reference,
    ):
        assert expected in text, expected


def test_credit_note_pdf(paid, as_alice, superuser):
    cancel_booking(paid, destination="wallet", reason="Projector broke", by=superuser)
    text = text_of(as_alice.get(f"/bookings/{paid.reference}/credit-notes/1.pdf"))
    assert "Credit note" in text and "CNMH/26-27/00001" in text and "MQMH/26-27/00001" in text
    assert "Projector broke" in text
    assert as_alice.get(f"/bookings/{paid.reference}/credit-notes/2.pdf").status_code == 404


def test_only_owner_and_finance(paid, bob, client):
    assert signed_in(bob).get(f"/bookings/{paid.reference}/invoice.pdf").status_code == 404
    assert client.get(f"/bookings/{paid.reference}/invoice.pdf").status_code == 302  # sign in first
    finance = make_user("ticketing.view_invoice", username="fin")
    assert "MQMH/26-27/00001" in text_of(signed_in(finance).get(f"/bookings/{paid.reference}/invoice.pdf"))
    assert signed_in(finance).get("/bookings/NOSUCHREF/invoice.pdf").status_code == 404
