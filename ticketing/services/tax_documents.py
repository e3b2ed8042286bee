"""A booking's tax invoice and credit notes as its pages and API show them (reads only)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from ticketing.models import Booking, CreditNote, Invoice


def invoice_of(booking: Booking) -> Invoice | None:
    return Invoice.objects.filter(booking=booking).first()


def credit_notes_of(booking: Booking) -> list[CreditNote]:
    """In issue order; each carries ``url`` (its PDF, by its position: 1, 2, …)."""
    notes = list(CreditNote.objects.filter(invoice__booking=booking).order_by("pk"))
    for position, note in enumerate(notes, start=1):
        note.url = reverse("booking_credit_note_pdf", args=[booking.reference, position])
    return notes


def tax_documents_api(booking: Booking) -> dict:
    """The API's "invoice" (null until paid) and "credit_notes" (after refunds)."""
    invoice = invoice_of(booking)
    if invoice is None:
        return {"invoice": None, "credit_notes": []}
    return {
        "invoice": {
            "number": invoice.number,
            "issued_at": timezone.localtime(invoice.issued_at).isoformat(),
            "gstin": invoice.gstin,
            "url": reverse("booking_invoice_pdf", args=[booking.reference]),
        },
        "credit_notes": [
            {
                "number": note.number,
                "issued_at": timezone.localtime(note.issued_at).isoformat(),
                "amount": str(note.total),
                "url": note.url,
            }
            for note in credit_notes_of(booking)
        ],
    }
