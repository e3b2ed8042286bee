"""Invoices and credit notes as PDFs (WeasyPrint, the tickets' bundled fonts), rendered from
the issued record alone, so a copy printed a year later says exactly what was issued. They are
rendered when asked for (download, the confirmation e-mail's task), never inside the
transaction that issues them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext

from core.gstin import STATES
from core.money_words import rupees_in_words
from ticketing.models import CreditNote, Invoice
from ticketing.services import pdf_fonts
from ticketing.services.ticket_pdf import font_config

MONEY = ("taxable_value", "rate", "tax", "cgst", "sgst", "igst", "cgst_rate", "sgst_rate", "igst_rate")


def _lines(document) -> list[dict]:
    lines = [{**line, **{key: Decimal(line.get(key) or "0") for key in MONEY}} for line in document.lines]
    for line in lines:
        line["amount"] = line["taxable_value"] + line["tax"]
    return lines


def render_html(document: Invoice | CreditNote) -> str:
    credit = isinstance(document, CreditNote)
    invoice = document.invoice if credit else document
    booking = invoice.booking
    show = booking.show
    return render_to_string(
        "ticketing/pdf/invoice.html",
        {
            "document": document,
            "title": gettext("Credit note") if credit else gettext("Tax invoice"),
            "credit": credit,
            "invoice": invoice,
            "booking": booking,
            "show": show,
            "movie": show.movie,
            "theater": show.screen.theater,
            "lines": _lines(document),
            "supplier_state": STATES.get(document.supplier_state_code, ""),
            "place_state": STATES.get(document.place_of_supply, ""),
            "recipient_state": STATES.get(document.recipient_gstin[:2], "") if document.recipient_gstin else "",
            "in_words": rupees_in_words(document.total),
            **pdf_fonts.context(),
        },
    )


def render_pdf(document: Invoice | CreditNote) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(document), base_url=str(settings.BASE_DIR)).write_pdf(font_config=font_config())


def pdf_filename(document: Invoice | CreditNote) -> str:
    return f"{document.number.replace('/', '-')}.pdf"


def invoice_attachment(booking) -> tuple[str, bytes] | None:
    """(file name, PDF) of the booking's tax invoice for its confirmation e-mail, or None."""
    invoice = Invoice.objects.filter(booking=booking).first()
    if invoice is None:
        return None
    return pdf_filename(invoice), render_pdf(invoice)
