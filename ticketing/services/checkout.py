"""Checkout: freeze the price, take the wallet part, open a gateway order for the rest.

The steps that lock rows and the gateway call are kept apart (DESIGN.md §3: no network call
inside a locked transaction): (1) lock, freeze the quote, take the wallet part, move to
payment_pending; (2) ask the gateway for an order; (3) record the order. If (2) fails, the
wallet part goes back and the booking is held again, so the customer simply retries.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ticketing.errors import BookingError
from ticketing.models import Booking, BookingState, Payment, PaymentMode, PaymentStatus
from ticketing.money import ZERO, to_paise
from ticketing.payments.base import GatewayError
from ticketing.services import promos
from ticketing.services.pricing import quote
from wallet import services as wallet
from wallet.models import TransactionKind

log = logging.getLogger("marquee.payments")


class GatewayUnavailable(BookingError):
    status = 503
    code = "gateway_unavailable"


@dataclass
class CheckoutResult:
    booking: Booking
    gateway: dict = field(default_factory=dict)  # order details for the browser, when one is needed


def _gateway():
    from ticketing.payments import get_gateway

    return get_gateway()


def start_checkout(booking: Booking, use_wallet: bool) -> CheckoutResult:
    """Pay for a held booking: confirmed at once when the wallet covers it, else an order."""
    open_payment = _open_payment(booking)
    if open_payment is not None:  # "Pay" pressed again while an order is open: the same order
        return CheckoutResult(booking=open_payment.booking, gateway=_checkout_fields(open_payment))
    booking = _take_wallet_part(booking, use_wallet)
    if booking.state == BookingState.CONFIRMED:
        return CheckoutResult(booking=booking)
    gateway = _gateway()
    try:
        order = gateway.create_order(
            to_paise(booking.gateway_amount), receipt=booking.reference, notes={"booking": booking.reference}
        )
    except GatewayError as error:
        log.warning("order create failed: %s", error.message, extra={"booking": booking.reference})
        give_back_wallet_part(booking, reason="The payment service did not answer; your wallet part is back.")
        raise GatewayUnavailable(error.message) from None
    payment = Payment.objects.create(
        booking=booking, gateway=gateway.name, order_id=order.order_id, amount=booking.gateway_amount
    )
    log.info("order created", extra={"booking": booking.reference, "order": order.order_id})
    return CheckoutResult(booking=booking, gateway=_checkout_fields(payment))


def _open_payment(booking: Booking) -> Payment | None:
    if booking.state != BookingState.PAYMENT_PENDING:
        return None
    return booking.payments.select_related("booking").filter(status=PaymentStatus.CREATED).first()


def _checkout_fields(payment: Payment) -> dict:
    from ticketing.payments.base import GatewayOrder

    gateway = _gateway()
    info = gateway.checkout_info(GatewayOrder(order_id=payment.order_id, amount=to_paise(payment.amount)))
    return {
        "gateway": info.gateway,
        "key_id": info.key_id,
        "order_id": info.order_id,
        "amount": info.amount,
        "currency": info.currency,
        **info.extra,
    }


@transaction.atomic
def _take_wallet_part(booking: Booking, use_wallet: bool) -> Booking:
    booking = promos.lock_for_checkout(booking)  # locks the booking, counts the promo code (saved below)
    balance = wallet.balance(booking.user) if use_wallet else ZERO
    priced = quote(booking, wallet=balance)
    if priced.total <= ZERO:
        raise BookingError("There is nothing to pay for this booking.")
    booking.total = priced.total
    booking.wallet_amount = priced.wallet_applied
    booking.gateway_amount = priced.payable
    booking.price_breakdown = priced.as_api()
    booking.payment_mode = (
        PaymentMode.WALLET if not priced.payable else PaymentMode.GATEWAY if not priced.wallet_applied else PaymentMode.MIXED
    )
    booking.save(
        update_fields=["state", "total", "wallet_amount", "gateway_amount", "price_breakdown", "payment_mode", "updated_at"]
    )
    if booking.wallet_amount:
        wallet.debit(booking.user, booking.wallet_amount, reason=f"Booking {booking.reference}", booking=booking)
    if not booking.gateway_amount:
        from ticketing.services.finalize import confirm_locked

        confirm_locked(booking, payment=None)
    return booking


@transaction.atomic
def give_back_wallet_part(booking: Booking, reason: str, next_state: str | None = None) -> Booking:
    """Undo a checkout that will not be paid: wallet part back, booking held again (or expired)."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.state != BookingState.PAYMENT_PENDING:
        return booking
    release_wallet_part(booking, reason)
    if next_state is None:
        expired = booking.held_until is not None and booking.held_until < timezone.now()
        next_state = BookingState.EXPIRED if expired else BookingState.HELD
    booking.state = next_state
    booking.save(update_fields=["state", "updated_at"])
    return booking


def wallet_taken(booking: Booking):
    """What the booking holds of its customer's wallet right now (ledger sum, ≥ 0)."""
    from django.db.models import Sum

    kinds = [TransactionKind.BOOKING_PAYMENT, TransactionKind.BOOKING_RELEASE]
    total = booking.wallet_transactions.filter(kind__in=kinds).aggregate(total=Sum("amount"))["total"]
    return -(total or ZERO)


def release_wallet_part(booking: Booking, reason: str) -> None:
    """Give back whatever the booking still holds of the wallet (call with the booking locked)."""
    held = wallet_taken(booking)
    if held > ZERO:
        wallet.credit(booking.user, held, reason=reason, kind=TransactionKind.BOOKING_RELEASE, booking=booking)
