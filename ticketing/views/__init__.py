"""Customer booking pages. They only read: amounts come from quote(), changes go through the API."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from ticketing.errors import BookingError
from ticketing.models import Booking, BookingChannel, BookingState
from ticketing.services.cancel_policy import DESTINATION_WORDS, cancellation_quote, hours_before, open_tiers
from ticketing.services.menu import show_menu
from ticketing.services.pricing import shown_quote
from ticketing.services.tax_documents import credit_notes_of, invoice_of
from ticketing.services.ticket_pdf import food_pickup
from wallet.services import balance as wallet_balance


def get_booking_for_user(user, reference: str) -> Booking:
    """The customer's own booking; anyone else's is indistinguishable from one that does not exist.
    Counter sales are the selling staff member's only on paper: never shown as their booking."""
    if not (reference.isascii() and reference.isalnum()):
        raise Http404("No such booking.")  # odd bytes (NUL) never reach the database
    booking = (
        Booking.objects.filter(reference=reference[:12], user=user, channel=BookingChannel.ONLINE)
        .select_related("show__movie", "show__screen__theater", "show__language", "promo")
        .first()
    )
    if booking is None:
        raise Http404("No such booking.")
    return booking


def hold_is_live(booking: Booking, now) -> bool:
    """A hold counts until held_until has passed (lazy expiry, as the seat inventory reads it)."""
    return booking.state == BookingState.HELD and booking.held_until is not None and booking.held_until >= now


def _cancellation(booking: Booking, now) -> dict:
    """Whether the customer may cancel now, to where, and what the whole booking would refund
    (the page asks the API's preview for any other choice of seats)."""
    admitted = set(booking.tickets.filter(used_at__isnull=False).values_list("seat_label", flat=True))
    left = [label for label in booking.seats if label not in admitted]
    if not left:
        return {"can_cancel": False, "cancel_refusal": gettext("Every seat was admitted at the door: nothing is left to cancel.")}
    try:  # every seat not yet admitted, ticked at first
        whole = cancellation_quote(booking, left if admitted else None, now=now)
    except BookingError as refusal:
        return {"can_cancel": False, "cancel_refusal": refusal.message}
    options = [
        {"to": tier.destination, "label": DESTINATION_WORDS[tier.destination], "tier": tier, "checked": i == 0}
        for i, tier in enumerate(open_tiers(hours_before(booking, now)))
    ]
    return {"can_cancel": True, "cancel_quote": whole, "cancel_options": options}


def _menu_with_quantities(booking: Booking) -> list:
    """The show's menu, each offer with the quantity this booking has of it."""
    chosen = dict(booking.items.values_list("sku", "quantity")) if booking.has_items else {}
    offers = show_menu(booking.show)
    for offer in offers:
        offer.quantity = chosen.get(offer.item.sku, 0)
    return offers


@login_required
def booking_page(request, reference):
    booking = get_booking_for_user(request.user, reference)
    if booking.is_gift_card:  # the payment callback sends every purchase here
        return redirect("gift_card_page", reference=booking.reference)
    now = timezone.now()
    live = hold_is_live(booking, now)
    ended = not live and booking.state in (BookingState.HELD, BookingState.EXPIRED)
    context = {
        "booking": booking,
        "show": booking.show,
        "live": live,
        "ended": ended,
        "quote": None if ended else shown_quote(booking),
        "server_now": now,
        "wallet_balance": wallet_balance(request.user) if live else None,
    }
    if live:
        context["menu"] = _menu_with_quantities(booking)
    if booking.state == BookingState.CONFIRMED:
        tickets = list(booking.tickets.order_by("pk"))
        cancelled = [t for t in tickets if t.voided_at is not None]
        context.update(
            _cancellation(booking, now),
            tickets=[t for t in tickets if t.voided_at is None],
            cancelled_tickets=cancelled,
            cancelled_seats=", ".join(t.seat_label for t in cancelled),
            refunds=list(booking.refunds.order_by("created_at", "pk")),
        )
        if booking.has_items:
            context["pickup"] = food_pickup(booking)
    elif booking.state in (BookingState.CANCELLED, BookingState.REFUNDED):
        context["refunds"] = list(booking.refunds.order_by("created_at", "pk"))  # where the money went
    if booking.state in (BookingState.CONFIRMED, BookingState.CANCELLED, BookingState.REFUNDED):
        context.update(invoice=invoice_of(booking), credit_notes=credit_notes_of(booking))
    return render(request, "ticketing/booking_page.html", context)
