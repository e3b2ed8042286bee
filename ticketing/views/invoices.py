"""Invoice and credit-note PDFs: the booking's owner and finance staff; anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from ticketing.models import Booking, CreditNote, Invoice
from ticketing.permissions import VIEW_INVOICES
from ticketing.services.invoice_pdf import pdf_filename, render_pdf
from ticketing.views import get_booking_for_user


def _booking(user, reference: str) -> Booking:
    """Finance sees every booking's documents (counter sales too); a customer only their own."""
    if user.has_perm(VIEW_INVOICES):
        if not (reference.isascii() and reference.isalnum()):
            raise Http404("No such booking.")
        booking = Booking.objects.filter(reference=reference[:12]).first()
        if booking is None:
            raise Http404("No such booking.")
        return booking
    return get_booking_for_user(user, reference)


def _pdf(document) -> HttpResponse:
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(document)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def invoice_pdf(request, reference):
    invoice = Invoice.objects.filter(booking=_booking(request.user, reference)).first()
    if invoice is None:
        raise Http404("This booking has no tax invoice.")
    return _pdf(invoice)


@require_GET
@login_required
def credit_note_pdf(request, reference, sequence: int):
    """``sequence``: the credit note's position among the booking's (1, 2, …)."""
    notes = list(CreditNote.objects.filter(invoice__booking=_booking(request.user, reference)).order_by("pk"))
    if not 1 <= sequence <= len(notes):
        raise Http404("No such credit note.")
    return _pdf(notes[sequence - 1])
