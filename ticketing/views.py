"""Customer booking pages (the seat-selection work fills these in)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from ticketing.models import Booking


@login_required
def booking_page(request, reference):
    booking = Booking.objects.filter(reference=reference, user=request.user).select_related("show").first()
    if booking is None:
        raise Http404("No such booking.")
    return render(request, "ticketing/booking_page.html", {"booking": booking})
