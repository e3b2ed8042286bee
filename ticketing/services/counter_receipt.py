"""The counter's printed ticket: one 80 mm thermal-printer slip per seat, with its QR code (and
one for the food and drinks with the pickup code's QR),
as an HTML print view and as a PDF (WeasyPrint, the same bundled fonts and QR as the e-mailed
tickets). Prices are the quote frozen on the booking."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from ticketing.models import CounterSale, Invoice
from ticketing.qr import qr_svg
from ticketing.services import pdf_fonts
from ticketing.services.pricing import shown_quote
from ticketing.services.ticket_pdf import font_config, food_pickup


def receipt_context(sale: CounterSale, *, pdf: bool, back_url: str = "") -> dict:
    booking = sale.booking
    show = booking.show
    tickets = list(booking.tickets.order_by("pk"))
    for ticket in tickets:
        ticket.qr = qr_svg(ticket.code)
    pickup = food_pickup(booking)
    if pickup is not None:
        pickup.qr = qr_svg(pickup.code)
    return {
        "pickup": pickup,
        "invoice": Invoice.objects.filter(booking=booking).only("number", "issued_at", "gstin").first(),
        "items": list(booking.items.order_by("pk")) if pickup is not None else [],
        "sale": sale,
        "booking": booking,
        "tickets": tickets,
        "show": show,
        "movie": show.movie,
        "screen": show.screen,
        "theater": show.screen.theater,
        "price": shown_quote(booking),
        "pdf": pdf,
        "back_url": back_url,
        **pdf_fonts.context(),
    }


def render_receipt_html(sale: CounterSale, *, pdf: bool = False, back_url: str = "") -> str:
    """``back_url``: the print view's "Next sale" link (none in the PDF)."""
    return render_to_string("ticketing/counter/receipt.html", receipt_context(sale, pdf=pdf, back_url=back_url))


def render_receipt_pdf(sale: CounterSale) -> bytes:
    from weasyprint import HTML

    html = render_receipt_html(sale, pdf=True)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=font_config())
