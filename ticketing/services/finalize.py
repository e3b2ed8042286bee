"""The one payment finalizer (docs/DESIGN.md §3). Callback, webhook, reconciliation and wallet-only
checkout all end here; repeating a call returns the first result.

The gateway is asked about the payment first (outside any lock); then, under the booking's
row lock: record the payment id (a unique column), check the amount, sell the seats — or, when
the seats are gone or the booking is closed, refund. Nothing is charged without either a ticket
or a refund.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core import prepared
from core.money import ZERO, from_paise
from core.queries import only_row
from core.raw_rows import every_column, from_row
from core.versions import bump_seats
from ticketing.errors import BookingError, ItemSoldOut
from ticketing.mail.notifications import notify
from ticketing.models import Booking, BookingState, FoodPickup, Payment, PaymentStatus, SeatState, ShowSeat
from ticketing.payments import get_gateway
from ticketing.services.food_stock import give_back_stock, take_stock
from ticketing.services.gift_cards import issue_gift_card
from ticketing.services.invoices import issue_invoice
from ticketing.services.refunds import refund_to_source
from ticketing.services.tickets import issue_tickets
from ticketing.services.wallet_part import give_back_wallet_part, release_wallet_part, wallet_taken
from wallet import services as wallet

log = logging.getLogger("marquee.payments")
SEATS = ShowSeat._meta.db_table
BOOKINGS = Booking._meta.db_table
PAYMENTS = Payment._meta.db_table


class PaymentRejected(BookingError):
    """Tampered or mismatched payment data: nothing changes (400)."""

    code = "payment_rejected"


@dataclass
class FinalizeResult:
    # confirmed | already_confirmed | already_refunded | already_recorded | refunded | mismatch | failed | pending | ignored
    outcome: str
    booking: Booking
    message: str = ""

    @property
    def confirmed(self) -> bool:
        return self.outcome in ("confirmed", "already_confirmed")


def _gateway(gateway):
    if gateway is not None:
        return gateway
    return get_gateway()


def _payment(order_id: str) -> Payment:
    payment = only_row(Payment.objects.select_related("booking").filter(order_id=str(order_id)[:64]))
    if payment is None:
        log.warning("payment for an unknown order %s", str(order_id)[:64])
        raise PaymentRejected("We could not match this payment to a booking.")
    return payment


def finalize_payment(
    *, order_id: str, payment_id: str, source: str, gateway=None, payment: Payment | None = None
) -> FinalizeResult:
    """A gateway payment was made for this order: confirm the booking once, or refund.

    ``payment``: this order's Payment as the caller just read it (the callback has), so it is
    not read again; it is re-read under the lock before anything is decided."""
    if payment is None or payment.order_id != str(order_id)[:64]:
        payment = _payment(order_id)
    if payment.status == PaymentStatus.PAID and payment.payment_id == payment_id:
        return already_recorded(payment, payment.booking)
    info = _gateway(gateway).fetch_payment(payment_id)  # GatewayError: nothing changes; retried later
    if info.order_id != payment.order_id or info.payment_id != payment_id:
        log.warning("payment %s does not belong to order %s", payment_id, order_id, extra={"booking": payment.booking.reference})
        raise PaymentRejected("This payment does not belong to this booking.")
    if info.status == "failed":
        return record_failure(payment.pk, info.error or "The payment failed.")
    if not info.captured:
        return FinalizeResult("pending", payment.booking, gettext("The payment is not complete yet."))
    try:
        result = _settle(payment.pk, payment.booking_id, info, source)
    except IntegrityError:  # the same payment recorded by a racing call: the first result stands
        payment = Payment.objects.select_related("booking").get(pk=payment.pk)
        return already_recorded(payment, payment.booking)
    log.info("payment %s: %s", result.outcome, payment_id, extra={"booking": result.booking.reference, "source": source})
    return result


def already_recorded(payment: Payment, booking: Booking) -> FinalizeResult:
    """The same payment reported again (callback after webhook, a replay): the first result
    again, read from what it left. "already_confirmed" only when this payment bought the
    booking's tickets; one the finalizer sent back (wrong amount, seats gone, booking already
    settled) is never reported as a confirmation."""
    refunded = payment.refunds.exists()
    if booking.state == BookingState.CONFIRMED and not refunded:
        return FinalizeResult("already_confirmed", booking, gettext("This payment is already recorded."))
    if refunded:
        return FinalizeResult("already_refunded", booking, gettext("This payment is being refunded to where it came from."))
    return FinalizeResult("already_recorded", booking, gettext("This payment is already recorded."))


@transaction.atomic
def _settle(payment_pk: int, booking_id: int, info, source: str) -> FinalizeResult:
    """``booking_id``: the payment's booking (a payment never moves to another booking)."""
    booking, payment = lock_booking_and_payment(booking_id, payment_pk)
    if payment.status == PaymentStatus.PAID:
        if payment.payment_id == info.payment_id:
            return already_recorded(payment, booking)
        extra = Payment.objects.create(
            booking=booking,
            gateway=payment.gateway,
            order_id=f"{payment.order_id}#{info.payment_id}"[:64],
            payment_id=info.payment_id,
            amount=from_paise(info.amount),
            amount_paid=from_paise(info.amount),
            status=PaymentStatus.PAID,
            method=info.method,
            paid_at=timezone.now(),
        )
        refund_to_source(booking, extra, extra.amount_paid, reason="A second payment for the same order")
        return FinalizeResult("refunded", booking, gettext("You were charged twice; the second payment is being refunded."))

    paid = from_paise(info.amount)
    payment.payment_id = info.payment_id
    payment.amount_paid = paid
    payment.method = info.method
    payment.status = PaymentStatus.PAID
    payment.paid_at = timezone.now()
    payment.save(update_fields=["payment_id", "amount_paid", "method", "status", "paid_at"])

    if paid != payment.amount:
        log.error("amount mismatch: paid %s, asked %s", paid, payment.amount, extra={"booking": booking.reference})
        _undo(booking, payment, paid, f"Paid ₹{paid} but the order asked ₹{payment.amount}", flag=True)
        return FinalizeResult("mismatch", booking, gettext("The amount paid does not match the booking. It is being refunded."))

    if booking.state in (BookingState.CONFIRMED, BookingState.CANCELLED, BookingState.REFUNDED):
        _undo(booking, payment, paid, f"Payment arrived for a booking already {booking.get_state_display().lower()}")
        return FinalizeResult("refunded", booking, gettext("This booking was already settled; the payment is being refunded."))

    # Re-taking a wallet part or food stock writes before the seats are sold, and the sale is
    # all or nothing only on PostgreSQL: a refused confirmation rolls those back to here.
    undo_point = bool(booking.wallet_amount or booking.has_items or connection.vendor != "postgresql")
    savepoint = transaction.savepoint() if undo_point else None
    if _wallet_part_in(booking) and _stock_in(booking) and confirm_locked(booking, payment):
        if savepoint:
            transaction.savepoint_commit(savepoint)
        return FinalizeResult("confirmed", booking, gettext("Your booking is confirmed."))
    if savepoint:
        transaction.savepoint_rollback(savepoint)
    _undo(booking, payment, paid, "Paid after the hold ended and the seats (or the food) were taken", late=True)
    return FinalizeResult(
        "refunded", booking, gettext("Your seats or food were taken after the hold ended; the payment is being refunded.")
    )


def lock_booking_and_payment(booking_id: int, payment_pk: int) -> tuple[Booking, Payment]:
    """The booking's row and its payment's, locked (FOR UPDATE) in that order, in one read on
    PostgreSQL: it locks the rows of a join table by table in FROM order, the order every path
    here takes them in (two statements elsewhere). Inside the caller's transaction."""
    if connection.vendor != "postgresql":
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        return booking, Payment.objects.select_for_update().get(pk=payment_pk)
    with prepared.cursor() as cursor:
        cursor.execute(
            f"SELECT {every_column(Booking, 'b.')}, {every_column(Payment, 'p.')} FROM {BOOKINGS} b "
            f"JOIN {PAYMENTS} p ON p.booking_id = b.id WHERE b.id = %s AND p.id = %s FOR UPDATE",
            [booking_id, payment_pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise Payment.DoesNotExist(f"no payment {payment_pk} of booking {booking_id}")
    width = len(Booking._meta.concrete_fields)
    return from_row(Booking, row[:width]), from_row(Payment, row[width:])


def _wallet_part_in(booking: Booking) -> bool:
    """Re-take the wallet part if a failure or expiry gave it back meanwhile."""
    if not booking.wallet_amount:  # no wallet part: nothing of the wallet to re-take (no ledger read)
        return True
    missing = booking.wallet_amount - wallet_taken(booking)
    if missing <= ZERO:
        return True
    try:
        wallet.debit(booking.user, missing, reason=f"Booking {booking.reference}", booking=booking)
    except BookingError:
        return False
    return True


def _stock_in(booking: Booking) -> bool:
    """Re-take the food stock if a failure or abandoned checkout gave it back meanwhile."""
    if not booking.has_items:
        return True
    try:
        take_stock(booking)  # only the lines that hold none
    except ItemSoldOut:
        return False
    return True


def _undo(booking, payment, paid, why: str, *, flag: bool = False, late: bool = False) -> None:
    """Send the gateway payment back, return the wallet part, close the booking if unpaid."""
    refund_to_source(booking, payment, paid, reason=why)
    if booking.state in (BookingState.HELD, BookingState.PAYMENT_PENDING, BookingState.EXPIRED):
        release_wallet_part(booking, reason=f"Booking {booking.reference} not confirmed: {why}")
        give_back_stock(booking)
        ShowSeat.objects.filter(booking=booking, state=SeatState.HELD).update(
            state=SeatState.AVAILABLE, booking=None, held_until=None
        )
        bump_seats(booking.show_id)
        booking.state = BookingState.EXPIRED
    if flag:
        booking.needs_attention = True
        booking.attention_note = why
    booking.save(update_fields=["state", "needs_attention", "attention_note", "updated_at"])
    notify(booking, "late_payment_refunded")


def confirm_locked(booking: Booking, payment: Payment | None) -> bool:
    """Sell the booking's seats (re-claiming them if the hold ran out and they are still free)
    and confirm it. The caller holds the booking's row lock. False: a seat is gone."""
    labels = list(booking.seats)
    now = timezone.now()
    if not labels:  # food and drinks only, sold at the counter, or a gift card: no seat to sell
        booking.state = BookingState.CONFIRMED
        booking.confirmed_at = now
        booking.save(update_fields=["state", "confirmed_at", "updated_at"])
        _confirmed(booking, {})
        return True
    asked_sql, asked_params = prepared.any_of("label", labels)
    sell = (
        f"UPDATE {SEATS} SET state = %s, booking_id = %s, held_until = NULL "
        f"WHERE show_id = %s AND {asked_sql} "
        "AND ((booking_id = %s AND state = %s) OR state = %s OR (state = %s AND held_until < %s)) "
        "RETURNING label, category"  # the tickets need each seat's category: no second read
    )
    params = [SeatState.SOLD, booking.pk, booking.show_id, *asked_params, booking.pk, SeatState.HELD, SeatState.AVAILABLE]
    params += [SeatState.HELD, now]
    together = connection.vendor == "postgresql"
    if together:
        # All or nothing, and the booking confirmed in the same statement: the seats that may
        # be sold are locked first (FOR UPDATE re-checks a row a racing hold changed), and
        # only when that is every seat are they sold. A refusal writes nothing.
        sell = (
            f"WITH target AS (SELECT id FROM {SEATS} WHERE show_id = %s AND label = ANY(%s) "
            "AND ((booking_id = %s AND state = %s) OR state = %s OR (state = %s AND held_until < %s)) FOR UPDATE), "
            f"sold AS (UPDATE {SEATS} SET state = %s, booking_id = %s, held_until = NULL "
            "WHERE id IN (SELECT id FROM target) AND (SELECT count(*) FROM target) = %s RETURNING label, category), "
            f"confirmed AS (UPDATE {BOOKINGS} SET state = %s, confirmed_at = %s, updated_at = %s "
            "WHERE id = %s AND (SELECT count(*) FROM sold) = %s) SELECT label, category FROM sold"
        )
        params = [booking.show_id, labels, booking.pk, SeatState.HELD, SeatState.AVAILABLE, SeatState.HELD, now]
        params += [SeatState.SOLD, booking.pk, len(labels)]
        params += [BookingState.CONFIRMED, now, now, booking.pk, len(labels)]
    with prepared.cursor() as cursor:
        cursor.execute(sell, params)
        categories = dict(cursor.fetchall())
    if len(categories) != len(labels):
        return False  # nothing sold on PostgreSQL; elsewhere the caller rolls back to its savepoint
    bump_seats(booking.show_id)
    booking.state = BookingState.CONFIRMED
    booking.confirmed_at = now
    if together:
        booking.updated_at = now
    else:
        booking.save(update_fields=["state", "confirmed_at", "updated_at"])
    _confirmed(booking, categories)
    return True


def _confirmed(booking: Booking, categories: dict) -> None:
    """What a confirmation brings: tickets, the food's pickup code, the tax invoice, the e-mail.
    A gift card's purchase brings its code instead, and no tax invoice (a voucher is not a supply)."""
    if booking.is_gift_card:
        issue_gift_card(booking)
        return
    if categories:
        issue_tickets(booking, categories=categories)
    if booking.has_items:
        FoodPickup.objects.create(booking=booking)
    issue_invoice(booking, categories)
    notify(booking, "booking_confirmed")


def record_failure(payment_pk: int, reason: str) -> FinalizeResult:
    """An order that will not be paid: the wallet part goes back, the hold stays (or ends)."""
    with transaction.atomic():  # lock order as in _settle: booking, then payment
        booking_id = Payment.objects.values_list("booking_id", flat=True).get(pk=payment_pk)
        booking, payment = lock_booking_and_payment(booking_id, payment_pk)
        if payment.status != PaymentStatus.CREATED:
            return FinalizeResult("ignored", booking, "Already settled.")
        payment.status = PaymentStatus.FAILED
        payment.error = reason[:500]
        payment.save(update_fields=["status", "error"])
        booking = give_back_wallet_part(booking, reason=f"Payment for {booking.reference} failed")
        notify(booking, "payment_failed", once_per=payment.order_id)
    log.info("payment failed: %s", reason, extra={"booking": booking.reference})
    return FinalizeResult("failed", booking, reason)


def payment_failed(*, order_id: str, payment_id: str, gateway=None) -> FinalizeResult:
    """The customer's payment failed: keep the hold (so they can retry), give the wallet part
    back. The gateway is asked, so an unsigned failure report cannot undo a real payment."""
    payment = _payment(order_id)
    info = _gateway(gateway).fetch_payment(payment_id)
    if info.order_id != payment.order_id or info.status != "failed":
        return FinalizeResult("ignored", payment.booking, "")
    return record_failure(payment.pk, info.error or "The payment failed.")
