"""Customer booking pages. They only read: amounts come from quote(), changes go through the API."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from core.booking_rules import BookingSettings
from ticketing.errors import BookingError
from ticketing.models import Booking, BookingChannel, BookingState
from ticketing.services.cancellation import customer_cancel_check
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


def _cancellation(booking: Booking) -> dict:
    """Whether the customer may cancel now, and the policy in words."""
    rules = BookingSettings.load()
    if rules.cancel_refund_to == "wallet":
        policy = "You get the full amount back in your Marquee wallet."
    else:
        policy = f"You get your money back to the original payment method, less a {rules.cancel_fee_percent.normalize():f}% fee."
    try:
        customer_cancel_check(booking)
    except BookingError as refusal:
        return {"can_cancel": False, "cancel_refusal": refusal.message, "cancel_policy": policy}
    return {"can_cancel": True, "cancel_policy": policy}


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
        context.update(_cancellation(booking), tickets=list(booking.tickets.order_by("pk")))
        if booking.has_items:
            context["pickup"] = food_pickup(booking)
    elif booking.state in (BookingState.CANCELLED, BookingState.REFUNDED):
        context["refunds"] = list(booking.refunds.order_by("created_at", "pk"))  # where the money went
    if booking.state in (BookingState.CONFIRMED, BookingState.CANCELLED, BookingState.REFUNDED):
        context.update(invoice=invoice_of(booking), credit_notes=credit_notes_of(booking))
    return render(request, "ticketing/booking_page.html", context)
