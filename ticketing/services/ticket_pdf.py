"""A booking's tickets as one PDF: one page per ticket (and one for its food and drinks, with
the pickup code's QR), rendered by WeasyPrint from
templates/ticketing/pdf/tickets.html, stored privately on the booking.

WeasyPrint spends most of its time on fonts: the document uses one bundled family (DejaVu
Sans, two faces, referenced by file URL so no system lookup differs between machines), one
document per booking, and a FontConfiguration kept for the life of the process. The poster is
embedded as a small JPEG rendition (data: URI) — nothing is fetched over the network.
"""

from __future__ import annotations

import base64
import gc
import io
import multiprocessing.util
import os
import secrets
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from ticketing.models import Booking, BookingState, FoodPickup
from ticketing.qr import qr_svg
from ticketing.services import pdf_fonts
from ticketing.services.pricing import shown_price


@cache
def font_config():
    """One for the life of the process: WeasyPrint spends most of its time on fonts. It keeps
    the document's font faces in a temporary folder (~4 MB) that it removes when it is
    collected; left to the interpreter's shutdown that removal fails (its module is already
    torn down), and a django-q worker ends through ``os._exit`` without any shutdown, so every
    worker that rendered tickets left a folder in /tmp. It is let go when this process ends,
    while the modules are still whole: multiprocessing's finalizers run at a plain
    interpreter's exit and at a task worker's. Only by the process that made it: a forked
    child that inherited it leaves its parent's folder alone."""
    from weasyprint.text.fonts import FontConfiguration

    owner = os.getpid()

    def release():
        if os.getpid() == owner and font_config.cache_info().currsize:
            font_config.cache_clear()
            gc.collect()  # a finished document may still hold it in a reference cycle

    multiprocessing.util.Finalize(None, release, exitpriority=0)
    return FontConfiguration()


def _poster_data_uri(movie) -> str:
    """The poster as a small JPEG data: URI, or "" (the template shows the title instead)."""
    if movie is None or movie.poster_id is None:
        return ""
    try:
        rendition = movie.poster.get_rendition("fill-260x390|format-jpeg|jpegquality-70")
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except Exception:  # a missing or broken image file must not cost the customer a ticket
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(data).decode()


def food_pickup(booking: Booking) -> FoodPickup | None:
    """The pickup code of a booking with food and drinks, once confirmed (read only then)."""
    if not booking.has_items:
        return None
    return FoodPickup.objects.filter(booking_id=booking.pk).first()


def render_html(booking: Booking) -> str:
    show = booking.show
    price = shown_price(booking)
    tickets = list(booking.tickets.filter(voided_at__isnull=True).order_by("pk"))
    for ticket in tickets:
        ticket.qr = qr_svg(ticket.code)
    pickup = food_pickup(booking)
    if pickup is not None:
        pickup.qr = qr_svg(pickup.code)
    return render_to_string(
        "ticketing/pdf/tickets.html",
        {
            "booking": booking,
            "tickets": tickets,
            "show": show,
            "movie": show.movie,
            "screen": show.screen,
            "theater": show.screen.theater,
            "price": price if isinstance(price, dict) else price.as_api(),
            "poster": _poster_data_uri(show.movie),
            "pickup": pickup,
            "items": list(booking.items.order_by("pk")) if pickup is not None else [],
            **pdf_fonts.context(),
        },
    )


def render_booking_pdf(booking: Booking) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(booking), base_url=str(settings.BASE_DIR)).write_pdf(font_config=font_config())


def ensure_tickets_pdf(booking: Booking) -> bytes | None:
    """The stored PDF of a confirmed booking, rendered and stored the first time it is asked
    for. None for a booking that is not confirmed (it has no valid tickets to print)."""
    handle = open_tickets_pdf(booking)
    if handle is None:
        return None
    with handle:
        return handle.read()


def open_tickets_pdf(booking: Booking):
    """The PDF of a confirmed booking as an open binary file, to stream (the stored one, or
    the one just rendered and stored); None for a booking that is not confirmed."""
    if booking.state != BookingState.CONFIRMED:
        return None
    if booking.tickets_pdf:
        try:
            return booking.tickets_pdf.storage.open(booking.tickets_pdf.name, "rb")
        except FileNotFoundError:  # lost from storage (e.g. a restore without files): render again
            pass
    return io.BytesIO(_render_and_store(booking))


def _render_and_store(booking: Booking) -> bytes:
    pdf = render_booking_pdf(booking)
    name = f"{booking.reference}-{secrets.token_hex(8)}.pdf"
    booking.tickets_pdf.save(name, ContentFile(pdf), save=False)
    Booking.objects.filter(pk=booking.pk).update(tickets_pdf=booking.tickets_pdf.name)
    return pdf
