"""Checkout: freeze the price, take the wallet part, open a gateway order for the rest.

The steps that lock rows and the gateway call are kept apart (docs/DESIGN.md §3: no network call
inside a locked transaction): (1) lock, freeze the quote, take the wallet part, move to
payment_pending; (2) ask the gateway for an order; (3) record the order. If (2) fails, the
wallet part goes back and the booking is held again, so the customer simply retries.

A request can die between (1) and (3) (worker timeout, OOM kill): the booking is then
payment_pending with the wallet part taken and no order. Such a checkout counts as abandoned
once it is older than the gateway deadline plus a margin (no request lives that long: gunicorn
kills it at 30 s); pressing Pay again, or the reconcile task, gives the wallet part back and
holds the booking again. Until then a second Pay is told to wait (409) and changes nothing,
and step (3) records an order only for the very checkout that step (1) started.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext

from core import prepared
from core.money import ZERO, to_paise
from core.queries import only_row
from core.raw_rows import every_column, from_row, insert_parts
from ticketing.errors import BookingError, CheckoutInProgress
from ticketing.models import Booking, BookingState, Payment, PaymentMode, PaymentStatus, ShowSeat
from ticketing.payments import get_gateway
from ticketing.payments.base import GatewayError, GatewayOrder
from ticketing.services import promos
from ticketing.services.business_buyer import BusinessBuyer
from ticketing.services.finalize import confirm_locked
from ticketing.services.food_stock import take_stock
from ticketing.services.pricing import quote
from ticketing.services.wallet_part import give_back_wallet_part, hold_again
from wallet import services as wallet

log = logging.getLogger("marquee.payments")
# Past MARQUEE_GATEWAY_DEADLINE the order call has given up; with this margin the window is
# longer than gunicorn's 30 s worker timeout (Dockerfile), so the request is surely gone.
SETUP_MARGIN = timedelta(seconds=20)
ORDER_RECORDED = (PaymentStatus.CREATED, PaymentStatus.PAID)  # step (3) happened: not abandoned


class GatewayUnavailable(BookingError):
    status = 503
    code = "gateway_unavailable"


@dataclass
class CheckoutResult:
    booking: Booking
    gateway: dict = field(default_factory=dict)  # order details for the browser, when one is needed


def _gateway():
    return get_gateway()


def setup_window() -> timedelta:
    """How long a checkout may be opening its gateway order; older ones were abandoned."""
    return timedelta(seconds=settings.MARQUEE_GATEWAY_DEADLINE) + SETUP_MARGIN


def start_checkout(booking: Booking, use_wallet: bool, business: BusinessBuyer | None = None) -> CheckoutResult:
    """Pay for a held booking: confirmed at once when the wallet covers it, else an order.
    ``business``: the recipient a business invoice names (services/business_buyer.py)."""
    open_payment = _open_payment(booking)
    if open_payment is not None:  # "Pay" pressed again while an order is open: the same order
        return CheckoutResult(booking=open_payment.booking, gateway=_checkout_fields(open_payment))
    if booking.state == BookingState.PAYMENT_PENDING:  # no order recorded: being opened, or abandoned
        booking = release_abandoned_checkout(booking)
        if booking is None:
            raise CheckoutInProgress()
    return _open_order(_take_wallet_part(booking, use_wallet, business))


def pay_own_booking(owned, use_wallet: bool, business: BusinessBuyer | None = None) -> CheckoutResult | None:
    """Pay as the customer's Pay button does, from one read of the booking: ``owned`` is the
    queryset that finds the customer's own booking. It is read locked (FOR UPDATE) with, on
    PostgreSQL, its seats' categories;
    a held booking goes on to step (1) in that same transaction. Any other state takes
    start_checkout's way (an open order, a checkout being opened or abandoned). None: the
    customer has no such booking."""
    with transaction.atomic():
        locked = _lock_owned(owned)
        if locked is None:
            return None
        if locked.state == BookingState.HELD:
            booking = _checkout_locked(promos.checkout_locked(locked), use_wallet, business)
        else:
            booking = None
    if booking is None:
        return start_checkout(locked, use_wallet, business)
    return _open_order(booking)


def _lock_owned(owned) -> Booking | None:
    """The show page is not read with it: pricing needs only its key (pricing.ShowRef), and a
    promo code is locked and read again anyway (promos.checkout_locked)."""
    found = owned.select_for_update(of=("self",))
    if connection.vendor == "postgresql":
        found = found.annotate(seat_category_pairs=RawSQL(CATEGORIES_SQL, []))
    booking = only_row(found)  # the reference is unique
    if booking is not None and connection.vendor == "postgresql":
        booking.known_seat_categories = dict(booking.seat_category_pairs)
    return booking


# Each seat of the booking with its category, read with the booking (services/ticket_lines.py).
CATEGORIES_SQL = (
    f"ARRAY(SELECT ARRAY[s.label, s.category] FROM {ShowSeat._meta.db_table} s "
    f"WHERE s.show_id = {Booking._meta.db_table}.show_id "
    f"AND s.label IN (SELECT jsonb_array_elements_text({Booking._meta.db_table}.seats)))"
)


def _open_order(booking: Booking) -> CheckoutResult:
    """Steps (2) and (3) for a booking step (1) moved to payment_pending (nothing to do for one
    the wallet paid in full)."""
    if booking.state == BookingState.CONFIRMED:
        return CheckoutResult(booking=booking)
    gateway = _gateway()
    try:
        order = gateway.create_order(
            to_paise(booking.gateway_amount), receipt=booking.reference, notes={"booking": booking.reference}
        )
    except GatewayError as error:
        log.warning("order create failed: %s", error.message, extra={"booking": booking.reference})
        give_back_wallet_part(
            booking, reason="The payment service did not answer; your wallet part is back.", attempt=booking.updated_at
        )
        raise GatewayUnavailable(error.message) from None
    payment = _record_order(booking, gateway.name, order.order_id)
    log.info("order created", extra={"booking": booking.reference, "order": order.order_id})
    return CheckoutResult(booking=booking, gateway=_checkout_fields(payment))


def _record_order(booking: Booking, gateway_name: str, order_id: str) -> Payment:
    """Step (3), only for the checkout step (1) started: if this request outlived the setup
    window and the booking moved on (given back, paid again), the order is not attached; it
    is never paid and simply expires at the gateway.

    One statement: the INSERT's source is the booking row, locked (FOR UPDATE) and re-checked
    (still payment_pending, unchanged since step (1)), so the check and the write happen under
    the booking's lock without a transaction of their own."""
    quote = connection.ops.quote_name
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    table = Booking._meta.db_table
    columns, selected, params = insert_parts(
        Payment(booking_id=booking.pk, gateway=gateway_name, order_id=order_id, amount=booking.gateway_amount),
        expressions={"booking_id": f"b.{quote('id')}", "amount": f"b.{quote('gateway_amount')}"},
    )
    updated_at = Booking._meta.get_field("updated_at").get_db_prep_value(booking.updated_at, connection)
    with prepared.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Payment._meta.db_table} ({columns}) SELECT {selected} FROM {table} b "
            f"WHERE b.id = %s AND b.state = %s AND b.updated_at = %s{lock} RETURNING {every_column(Payment)}",
            [*params, booking.pk, BookingState.PAYMENT_PENDING, updated_at],
        )
        row = cursor.fetchone()
    if row is None:
        state = Booking.objects.filter(pk=booking.pk).values_list("state", flat=True).first()
        log.warning(
            "order %s not recorded: the booking moved on while it was being opened",
            order_id,
            extra={"booking": booking.reference, "state": state},
        )
        raise CheckoutInProgress(gettext("Setting up your payment took too long. Please press Pay again."))
    payment = from_row(Payment, row)
    payment.booking = booking
    return payment


def _open_payment(booking: Booking) -> Payment | None:
    if booking.state != BookingState.PAYMENT_PENDING:
        return None
    return booking.payments.select_related("booking").filter(status=PaymentStatus.CREATED).first()


def _checkout_fields(payment: Payment) -> dict:
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
def _take_wallet_part(booking: Booking, use_wallet: bool, business: BusinessBuyer | None = None) -> Booking:
    try:
        booking = promos.lock_for_checkout(booking)  # locks the booking, counts the promo code (saved below)
    except BookingError:
        # A concurrent Pay moved it to payment_pending first (the row is locked now): wait, not "gone".
        if Booking.objects.filter(pk=booking.pk, state=BookingState.PAYMENT_PENDING).exists():
            raise CheckoutInProgress() from None
        raise
    return _checkout_locked(booking, use_wallet, business)


def _checkout_locked(booking: Booking, use_wallet: bool, business: BusinessBuyer | None) -> Booking:
    """Step (1) for a booking locked and checked in the caller's transaction."""
    balance = wallet.balance(booking.user) if use_wallet else ZERO
    priced = quote(booking, wallet=balance)
    if priced.total <= ZERO:
        raise BookingError(gettext("There is nothing to pay for this booking."))
    if priced.problems:
        raise BookingError(" ".join(priced.problems))
    if booking.has_items:
        take_stock(booking)  # 409 naming the item when it ran out; rolls the checkout back
    booking.total = priced.total
    booking.wallet_amount = priced.wallet_applied
    booking.gateway_amount = priced.payable
    booking.price_breakdown = priced.as_api()
    booking.payment_mode = (
        PaymentMode.WALLET if not priced.payable else PaymentMode.GATEWAY if not priced.wallet_applied else PaymentMode.MIXED
    )
    booking.business_gstin, booking.business_name = (business.gstin, business.name) if business else ("", "")
    booking.save(
        update_fields=["state", "total", "wallet_amount", "gateway_amount", "price_breakdown", "payment_mode", "updated_at"]
        + ["business_gstin", "business_name"]
    )
    if booking.wallet_amount:
        wallet.debit(booking.user, booking.wallet_amount, reason=f"Booking {booking.reference}", booking=booking)
    if not booking.gateway_amount:
        confirm_locked(booking, payment=None)
    return booking


def abandoned_checkouts(now: datetime | None = None):
    """payment_pending bookings with no order recorded, older than the setup window: the
    request that was opening their order died (the reconcile task settles these)."""
    cutoff = (now or timezone.now()) - setup_window()
    return Booking.objects.filter(state=BookingState.PAYMENT_PENDING, updated_at__lt=cutoff).exclude(
        payments__status__in=ORDER_RECORDED
    )


@transaction.atomic
def release_abandoned_checkout(booking: Booking, now: datetime | None = None) -> Booking | None:
    """Settle a checkout whose request died before recording its order: wallet part back,
    held again (or expired). Returns the booking as it now stands, or None while its checkout
    may still be opening an order (young enough that its request may still be talking to the
    gateway, or an order was recorded meanwhile)."""
    now = now or timezone.now()
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.state != BookingState.PAYMENT_PENDING:  # settled meanwhile (another Pay, the reconcile task)
        return locked
    if locked.updated_at >= now - setup_window():
        return None
    if locked.payments.filter(status__in=ORDER_RECORDED).exists():
        return None
    log.warning("checkout abandoned before its order was recorded", extra={"booking": locked.reference})
    return hold_again(locked, f"Booking {locked.reference}: the payment was never set up; your wallet part is back.")
