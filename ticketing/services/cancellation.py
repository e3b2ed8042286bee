"""Cancelling confirmed bookings (by the customer, by finance, or a whole show) and refunding.

A cancellation frees the seats (and the food stock) for sale again and returns the money: to the wallet in full,
or to the original payment method (the gateway part through a retried refund task, the wallet
part back to the wallet). One booking is one transaction under its row lock; repeating a
cancellation changes nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log as audit_log

from cinema.models import ShowPage
from core.booking_rules import BookingSettings
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
    PaymentStatus,
    SeatState,
    ShowSeat,
)
from ticketing.services.credit_notes import credit_refunds
from ticketing.services.food_stock import give_back_stock
from ticketing.services.refunds import record_wallet_refund, refund_at_counter, refund_to_source
from ticketing.services.wallet_part import give_back_wallet_part, wallet_taken

log = logging.getLogger("marquee.payments")
DESTINATIONS = ("wallet", "source")


def _rules():
    return BookingSettings.load()


def customer_cancel_check(booking: Booking, now=None) -> None:
    """Why a customer may not cancel this booking themselves, if they may not."""
    rules = _rules()
    now = now or timezone.now()
    if not rules.customer_cancellation:
        raise BookingError("Bookings cannot be cancelled online. Please contact the box office.")
    if booking.state != BookingState.CONFIRMED:
        raise BookingError("Only a confirmed booking can be cancelled.")
    cutoff = booking.show.starts_at - timedelta(hours=rules.cancel_cutoff_hours)
    if now >= cutoff:
        raise BookingError(
            f"Bookings can be cancelled until {rules.cancel_cutoff_hours} h before the show "
            f"({timezone.localtime(cutoff):%d %b, %H:%M})."
        )


def cancel_by_customer(booking: Booking) -> Booking:
    """The customer's own cancellation, under the policy in Booking settings."""
    customer_cancel_check(booking)
    rules = _rules()
    fee = rules.cancel_fee_percent if rules.cancel_refund_to == "source" else ZERO
    return cancel_booking(booking, destination=rules.cancel_refund_to, reason="Cancelled by the customer", fee_percent=fee)


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
    """Refund what was paid, less the fee (kept from the gateway part first). Returns the sum.
    A counter sale's money goes back at the counter, whatever the destination asked."""
    if booking.channel == BookingChannel.COUNTER:
        refund = refund_at_counter(booking, reason=reason, by=by)
        return refund.amount if refund else ZERO
    from_wallet = wallet_taken(booking)
    payments = list(booking.payments.filter(status=PaymentStatus.PAID).exclude(refunds__isnull=False))
    from_gateway = sum((p.amount_paid or ZERO for p in payments), ZERO)
    fee = percent_of(from_wallet + from_gateway, fee_percent) if fee_percent else ZERO
    if destination == "wallet":
        amount = rupees(from_wallet + from_gateway - fee)
        if amount > ZERO:
            record_wallet_refund(booking, amount, reason=reason, by=by)
        return max(amount, ZERO)
    total = ZERO
    remaining_fee = fee
    for payment in payments:
        amount = max(ZERO, (payment.amount_paid or ZERO) - remaining_fee)
        remaining_fee -= (payment.amount_paid or ZERO) - amount
        if amount > ZERO:
            refund_to_source(booking, payment, amount, reason=reason, by=by)
            total += amount
    wallet_back = max(ZERO, from_wallet - remaining_fee)
    if wallet_back > ZERO:
        record_wallet_refund(booking, wallet_back, reason=reason, by=by)
        total += wallet_back
    return total


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
