"""Cancelling confirmed bookings (by the customer, by finance, or a whole show) and refunding.

A cancellation frees the seats (and the food stock) for sale again and returns the money: to the wallet in full,
or to the original payment method (the gateway part through a retried refund task, the wallet
part back to the wallet). One booking is one transaction under its row lock; repeating a
cancellation changes nothing.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log as audit_log

from cinema.models import ShowPage
from core.money import ZERO, percent_of, rupees
from core.versions import bump_seats
from ticketing.errors import BookingError
from ticketing.mail.notifications import notify
from ticketing.models import (
    Booking,
    BookingChannel,
    BookingState,
    GiftCard,
    GiftCardState,
    SeatState,
    ShowSeat,
)
from ticketing.services.cancel_policy import CancelQuote, cancellation_quote, value_left
from ticketing.services.credit_notes import credit_refunds
from ticketing.services.food_stock import give_back_stock
from ticketing.services.refunds import pay_back, refund_at_counter
from ticketing.services.seat_cancellation import cancel_seats
from ticketing.services.wallet_part import give_back_wallet_part, wallet_taken

log = logging.getLogger("marquee.payments")
DESTINATIONS = ("wallet", "source")


def customer_cancel_check(booking: Booking, now=None) -> CancelQuote:
    """What the customer's cancellation of the whole booking would return now, or the
    BookingError saying why they may not cancel it themselves."""
    return cancellation_quote(booking, now=now)


def cancel_by_customer(booking: Booking, seats=None, destination: str | None = None) -> Booking:
    """The customer's own cancellation of some seats (all when none are named) under the tiers
    in Booking settings; the quote is worked out again under the booking's lock, so it is the
    one a concurrent cancellation left."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).select_related("show", "promo").get(pk=booking.pk)
        offer = cancellation_quote(booking, seats, destination)
        if not offer.whole:
            return cancel_seats(booking, offer, reason=f"Seats {', '.join(offer.seats)} cancelled by the customer")
        return cancel_booking(
            booking, destination=offer.destination, reason="Cancelled by the customer", fee_percent=offer.fee_percent
        )


@transaction.atomic
def cancel_booking(
    booking: Booking, *, destination: str, reason: str, by=None, fee_percent: Decimal = ZERO, notice="booking_cancelled"
) -> Booking:
    """Cancel a confirmed booking and refund it (staff: in full). Held or pending bookings are
    simply let go. Returns the booking; a second call changes nothing."""
    if destination not in DESTINATIONS:
        raise BookingError("Choose where the money goes: the wallet or the original payment method.")
    if not (reason or "").strip():
        raise BookingError("Give a reason for the cancellation.")
    booking = Booking.objects.select_for_update().select_related("user").get(pk=booking.pk)
    if booking.is_gift_card and booking.state == BookingState.CONFIRMED and not _gift_card_refunded(booking):
        raise BookingError("A gift card is refunded from Reports → Gift cards, so that its code stops working first.")
    if booking.state in (BookingState.HELD, BookingState.PAYMENT_PENDING):
        booking = give_back_wallet_part(booking, reason=f"Booking {booking.reference} cancelled", next_state=BookingState.EXPIRED)
        give_back_stock(booking)
        ShowSeat.objects.filter(booking=booking, state=SeatState.HELD).update(
            state=SeatState.AVAILABLE, booking=None, held_until=None
        )
        bump_seats(booking.show_id)
        if booking.state == BookingState.HELD:
            booking.state = BookingState.EXPIRED
            booking.save(update_fields=["state", "updated_at"])
        _audit(booking, by, destination=destination, reason=reason.strip())
        return booking
    if booking.state != BookingState.CONFIRMED:
        return booking
    ShowSeat.objects.filter(booking=booking, state=SeatState.SOLD).update(state=SeatState.AVAILABLE, booking=None)
    give_back_stock(booking)
    bump_seats(booking.show_id)
    started = timezone.now()
    refunded = _refund(booking, destination, reason.strip(), by, fee_percent)
    credit_refunds(booking, since=started)
    booking.state = BookingState.REFUNDED if refunded else BookingState.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["state", "cancelled_at", "updated_at"])
    if notice:
        notify(booking, notice)
    _audit(booking, by, destination=destination, reason=reason.strip())
    log.info("booking cancelled, %s refunded to %s", refunded, destination, extra={"booking": booking.reference})
    return booking


def _gift_card_refunded(booking: Booking) -> bool:
    """Whether the purchase's card was taken back (services/gift_cards.refund_gift_card) first."""
    return GiftCard.objects.filter(booking_id=booking.pk, state=GiftCardState.REFUNDED).exists()


def _audit(booking: Booking, by, **data) -> None:
    """Staff cancellations go into Wagtail's audit log, in the transaction that made them."""
    if by is not None:
        audit_log(instance=booking, action="booking.cancel", user=by, data={**data, "state": booking.state})


def _refund(booking: Booking, destination: str, reason: str, by, fee_percent: Decimal) -> Decimal:
    """Refund what is left of the booking (cancel_policy.value_left), less the fee. Returns the
    sum. A counter sale's money goes back at the counter, whatever the destination asked."""
    if booking.channel == BookingChannel.COUNTER:
        refund = refund_at_counter(booking, reason=reason, by=by)
        return refund.amount if refund else ZERO
    value = value_left(booking)
    amount = rupees(value - (percent_of(value, fee_percent) if fee_percent else ZERO))
    return pay_back(booking, amount, destination, reason=reason, by=by, wallet_part=wallet_taken(booking))


def cancel_show(show, *, destination: str, reason: str, by=None) -> int:
    """Cancel a show: it goes off sale, every booking is cancelled and refunded in full, and
    every customer is told. Returns the number of confirmed bookings refunded."""
    if destination not in DESTINATIONS:
        raise BookingError("Choose where the money goes: the wallet or the original payment method.")
    if not (reason or "").strip():
        raise BookingError("Give a reason for the cancellation.")
    ShowPage.objects.filter(pk=show.pk).update(status="cancelled")
    page = ShowPage.objects.get(pk=show.pk)
    if page.live:
        revision = page.save_revision(user=by, log_action=False, clean=False)  # a past show can still be called off
        # Cancelling is Finance's permission, not publishing: the page goes off sale as part of it.
        revision.publish(user=by, log_action=False, skip_permission_checks=True)
    count = 0
    for booking in Booking.objects.filter(show_id=show.pk).exclude(state__in=[BookingState.EXPIRED]).order_by("pk"):
        was_confirmed = booking.state == BookingState.CONFIRMED
        cancelled = cancel_booking(booking, destination=destination, reason=reason, by=by, notice="show_cancelled")
        if was_confirmed and cancelled.state in (BookingState.REFUNDED, BookingState.CANCELLED):
            count += 1
    audit_log(
        instance=page,
        action="show.cancel",
        user=by,
        data={"destination": destination, "reason": reason.strip(), "bookings_cancelled": count},
    )
    return count
