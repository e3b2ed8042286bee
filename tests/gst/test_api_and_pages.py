"""The invoice and credit notes in the booking API, the booking and account pages and the e-mail."""

import pytest
from django.urls import reverse

from tests.fixtures.checkout import signed_in
from ticketing.services.cancellation import cancel_booking

pytestmark = pytest.mark.django_db


def test_api_names_the_invoice_and_credit_notes(paid, as_alice, superuser):
    data = as_alice.get(f"/api/bookings/{paid.reference}").json()
    assert data["invoice"] == {
        "number": "MQMH/26-27/00001",
        "issued_at": "2026-11-20T10:00:00+05:30",
        "gstin": "27AAACM1234A1Z8",
        "url": f"/bookings/{paid.reference}/invoice.pdf",
    }
    assert data["credit_notes"] == []
    cancel_booking(paid, destination="wallet", reason="x", by=superuser)
    notes = as_alice.get(f"/api/bookings/{paid.reference}").json()["credit_notes"]
    assert notes == [
        {
            "number": "CNMH/26-27/00001",
            "issued_at": "2026-11-20T10:00:00+05:30",
            "amount": "814.20",
            "url": f"/bookings/{paid.reference}/credit-notes/1.pdf",
        }
    ]


def test_api_before_payment_has_no_invoice(held, as_alice):
    data = as_alice.get(f"/api/bookings/{held.reference}").json()
    assert data["invoice"] is None and data["credit_notes"] == []


def test_pages_link_the_invoice(paid, as_alice):
    link = f"/bookings/{paid.reference}/invoice.pdf"
    assert link in as_alice.get(f"/bookings/{paid.reference}/").content.decode()
    assert link in as_alice.get("/account/").content.decode()


def test_confirmation_mail_attaches_the_invoice(paid, mailoutbox):
    names = [attachment[0] for message in mailoutbox for attachment in message.attachments if isinstance(attachment, tuple)]
    assert "MQMH-26-27-00001.pdf" in names


def test_booking_page_offers_a_business_invoice(held, as_alice):
    page = as_alice.get(f"/bookings/{held.reference}/").content.decode()
    assert 'data-business="business_gstin"' in page and 'data-business="business_name"' in page


def test_finance_booking_page_links_the_tax_documents(paid, superuser):
    client = signed_in(superuser)
    cancel_booking(paid, destination="wallet", reason="x", by=superuser)
    page = client.get(reverse("bookings:inspect", args=[paid.pk])).content.decode()
    assert f"/bookings/{paid.reference}/invoice.pdf" in page and "CNMH/26-27/00001" in page


def test_api_tax_lines_say_what_they_are_charged_on(paid, as_alice):
    """Each tax line carries its taxable value and kind (the invoice line it becomes)."""
    taxes = as_alice.get(f"/api/bookings/{paid.reference}").json()["quote"]["taxes"]
    assert [(t["kind"], t["taxable"], t["amount"], t["state_waived"]) for t in taxes] == [
        ("admission", "600.00", "108.00", False),
        ("fee", "90.00", "16.20", False),
    ]
