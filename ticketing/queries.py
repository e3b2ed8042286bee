"""Read-only booking queries the customer pages share (one query each, relations joined).

Only online bookings: a counter sale's customer is the staff member who sold it, and those are
not that staff member's own bookings."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ticketing.models import Booking, BookingChannel, BookingState, GiftCard

BOOKING_RELATIONS = ("show__movie", "show__screen__theater", "invoice")  # invoice: the card links its PDF


def _is_upcoming(now) -> Q:
    """A show still to come, with seats that are (or are about to be) the customer's. A hold
    past its ``held_until`` is over even before the sweep marks it expired (lazy expiry)."""
    live = Q(state__in=[BookingState.CONFIRMED, BookingState.PAYMENT_PENDING]) | Q(state=BookingState.HELD, held_until__gte=now)
    return Q(show__starts_at__gt=now) & live


def get_upcoming_bookings(user, now) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(_is_upcoming(now), user=user, channel=BookingChannel.ONLINE)
        .select_related(*BOOKING_RELATIONS)
        .order_by("show__starts_at", "pk")
    )


def get_past_bookings(user, now) -> QuerySet[Booking]:
    """Everything else: shows that have started, and cancelled, refunded or expired bookings."""
    return (
        Booking.objects.filter(user=user, channel=BookingChannel.ONLINE, show__isnull=False)
        .exclude(_is_upcoming(now))
        .select_related(*BOOKING_RELATIONS)
        .order_by("-show__starts_at", "-pk")
    )


def get_gift_cards_bought(user, limit: int = 20) -> list[GiftCard]:
    """The customer's paid gift cards (newest first) and any purchase still open to pay."""
    open_or_paid = Q(booking__state__in=[BookingState.CONFIRMED, BookingState.PAYMENT_PENDING, BookingState.REFUNDED])
    open_or_paid |= Q(booking__state=BookingState.HELD)
    return list(
        GiftCard.objects.filter(open_or_paid, booking__user=user, booking__channel=BookingChannel.ONLINE)
        .select_related("booking")
        .order_by("-created_at", "-pk")[:limit]
    )


def get_own_gift_card(user, reference: str) -> GiftCard | None:
    """A gift card this customer bought, by its purchase's reference; anyone else's is None."""
    if not (reference.isascii() and reference.isalnum()):
        return None  # odd bytes (NUL) never reach the database
    mine = GiftCard.objects.select_related("booking").filter(
        booking__reference=reference[:12], booking__user=user, booking__channel=BookingChannel.ONLINE
    )
    return mine.first()
