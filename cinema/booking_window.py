"""When a show can be booked: one rule, read from the show's own fields.

The show page (ShowPage.is_bookable), the seat-map API and seat holds all ask this, so the
page never offers seats a hold would refuse. Works on a ShowPage or anything with the same
fields (ticketing's ShowFacts)."""

from django.utils import timezone
from django.utils.translation import gettext


def closed_reason(show, now) -> str | None:
    """Why seats cannot be held at `now`, in words for the customer; None while booking is open."""
    if show.status == "cancelled":
        return gettext("This show has been cancelled.")
    if show.status == "sold_out":
        return gettext("This show is sold out.")
    if not show.live:
        return gettext("This show is not on sale.")
    if now >= show.starts_at:
        return gettext("This show has already started.")
    if show.booking_opens_at and now < show.booking_opens_at:
        return gettext("Booking opens %(when)s.") % {"when": f"{timezone.localtime(show.booking_opens_at):%d %b at %H:%M}"}
    if now >= (show.booking_closes_at or show.starts_at):
        return gettext("Booking for this show has closed.")
    return None
