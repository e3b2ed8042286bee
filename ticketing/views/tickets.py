"""The tickets PDF download: the owner of a confirmed booking only; everyone else gets 404.
The file is streamed from the private tickets storage; it never has a public URL."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from ticketing.services.ticket_pdf import open_tickets_pdf
from ticketing.views import get_booking_for_user


@require_GET
@login_required
def tickets_pdf(request, reference):
    booking = get_booking_for_user(request.user, reference)
    handle = open_tickets_pdf(booking)
    if handle is None:
        raise Http404("This booking has no tickets.")
    response = FileResponse(
        handle, as_attachment=True, filename=f"marquee-{booking.reference}.pdf", content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
