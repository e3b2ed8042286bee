"""The tickets PDF download: the owner of a confirmed booking only; everyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from ticketing.services.ticket_pdf import ensure_tickets_pdf
from ticketing.views import get_booking_for_user


@require_GET
@login_required
def tickets_pdf(request, reference):
    booking = get_booking_for_user(request.user, reference)
    pdf = ensure_tickets_pdf(booking)
    if pdf is None:
        raise Http404("This booking has no tickets.")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="marquee-{booking.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
