"""Selling at the box office counter, and voiding a counter sale (docs/DESIGN.md §3).

Food and drinks ride on the same booking (with seats or without), priced by quote() and taken
from the theater's stock in the same transaction.

A sale is an online booking's path compressed into one transaction under the shift's row
lock: the seats are claimed with the hold's conditional UPDATE (holds.claim_for_sale), the
promo code is checked and counted under its lock (promos.lock_for_checkout), the price is
quote()'s, the payment is recorded (gateway "counter": cash, UPI or card on the terminal, no
gateway call) and the one finalizer step, finalize.confirm_locked, sells the seats and issues
the tickets. Any refusal rolls all of it back. The confirmation e-mail goes after commit to the
address the customer gave, if any.

A supervisor (``ticketing.supervise_counter``) may give seats free ("complimentary", with a
reason): the same claim and finalizer, priced at zero by quote() (payment mode complimentary),
no money in the cash-up and no tax invoice (no consideration, no supply), logged in the audit
log with its reason and the tickets' face value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log as audit_log

from cinema.booking_window import closed_reason
from cinema.models import ShowPage
from core.money import ZERO, format_inr
from core.versions import bump_seats
from ticketing.errors import (
    BookingError,
    NoOpenShift,
    NotAllowed,
    NotFound,
    PromoRejected,
    SeatsUnavailable,
    ShiftConflict,
    ShowClosed,
)
from ticketing.mail.notifications import notify
from ticketing.models import (
    Booking,
    BookingChannel,
    BookingItem,
    BookingState,
    CounterMethod,
    CounterSale,
    CounterShift,
    FoodPickup,
    Payment,
    PaymentMode,
    PaymentStatus,
    Refund,
    RefundDestination,
    RefundStatus,
    SeatState,
    ShiftState,
    ShowSeat,
    Ticket,
)
from ticketing.permissions import SUPERVISE_COUNTER
from ticketing.services import companions, counter_input, holds, promos
from ticketing.services.booking_items import normalise_items, priced_lines
from ticketing.services.counter_shifts import locked_open_shift
from ticketing.services.credit_notes import credit_refunds
from ticketing.services.finalize import confirm_locked
from ticketing.services.food_stock import give_back_stock, take_stock
from ticketing.services.pricing import quote
from ticketing.services.seatmap import public_state

COUNTER_GATEWAY = "counter"


@dataclass
class CounterSaleResult:
    booking: Booking
    sale: CounterSale
    tickets: list[Ticket]
    items: list[BookingItem] = field(default_factory=list)
    pickup_code: str | None = None

    @property
    def change_due(self) -> Decimal:
        return self.sale.change_due


def counter_closed_reason(show, now) -> str | None:
    """Online booking may close before the show; the counter sells until it starts."""
    facts = SimpleNamespace(
        status=show.status,
        live=show.live,
        starts_at=show.starts_at,
        booking_opens_at=show.booking_opens_at,
        booking_closes_at=None,
    )
    return closed_reason(facts, now)


def _show(show_id) -> ShowPage:
    show = None
    if isinstance(show_id, int) and not isinstance(show_id, bool) and 0 < show_id < 2**31:
        show = ShowPage.objects.select_related("movie", "screen__theater").filter(pk=show_id).first()
    if show is None:
        raise NotFound("No such show.")
    return show


def _check_seats(show, labels: list[str], now) -> None:
    """Refuse from one read what is visibly wrong: seats of another show, blocked, taken. The
    claim's row count still decides."""
    states = {label: (state, until) for label, state, until in _seat_states(show, labels)}
    unknown = [label for label in labels if label not in states]
    if unknown:
        raise BookingError(f"There is no seat {', '.join(unknown)} at this show.", unavailable=unknown)
    taken = sorted(label for label, (state, until) in states.items() if public_state(state, until, now) != SeatState.AVAILABLE)
    if taken:
        raise SeatsUnavailable(taken)


def _seat_states(show, labels):
    return ShowSeat.objects.filter(show=show, label__in=labels).values_list("label", "state", "held_until")


def _counter_promo(code, booking):
    """The code as online (find_promo's checks); a limit per customer or a first-booking
    offer cannot be checked for a walk-in, so such a code is refused at the counter."""
    promo = promos.find_promo(code, booking)
    if promo.first_booking_only or promo.per_customer_limit is not None:
        raise PromoRejected(f"The code {promo.code} is limited per customer; it can only be used online.")
    return promo


def _complimentary(by, reason, items, promo_code) -> str:
    """A comp's checks before anything is read: the supervisor permission (403), a reason,
    seats only, no promo code."""
    if not by.has_perm(SUPERVISE_COUNTER):
        raise NotAllowed("Only a counter supervisor can give complimentary tickets.")
    why = counter_input.comp_reason(reason)
    if items:
        raise BookingError("Only tickets can be complimentary; sell food and drinks separately.")
    if promo_code:
        raise BookingError("A promo code does not apply to complimentary tickets.")
    return why


def sell_at_counter(
    by, show_id, seats, *, method, tendered=None, reference="", email="", phone="", promo_code=None, items=(), reason=""
) -> CounterSaleResult:
    """Sell these seats and/or food and drinks (``items``: (sku, quantity) pairs) to a walk-in
    customer in ``by``'s open shift, confirmed at once. ``reason``: why, for a comp."""
    now = timezone.now()
    chosen = counter_input.method(method)
    comp = chosen == CounterMethod.COMPLIMENTARY
    why = _complimentary(by, reason, items, promo_code) if comp else ""
    labels = holds.normalise_labels(seats or [])
    wanted = normalise_items(items or [])
    if not labels and not wanted:
        raise BookingError("Choose at least one seat or item.")
    code = counter_input.payment_reference(reference, chosen)
    cash = counter_input.amount(tendered, "cash tendered") if chosen == CounterMethod.CASH else None
    email, phone = counter_input.contact_email(email), counter_input.contact_phone(phone)
    with transaction.atomic():
        shift = locked_open_shift(by)
        if shift is None:
            raise NoOpenShift()
        show = _show(show_id)
        reason = counter_closed_reason(show, now)
        if reason is not None:
            raise ShowClosed(reason)
        if len(labels) > show.max_per_booking:
            raise BookingError(f"At most {show.max_per_booking} seats can be sold at a time for this show.")
        if labels:
            _check_seats(show, labels, now)
        lines = priced_lines(show.screen.theater_id, wanted)
        # An A film's tickets are sold by a seller who has seen the customers are adults: the
        # booking records who and when, as a hold records the customer's own word online.
        adults_only = bool(labels) and show.movie.adults_only
        booking = Booking.objects.create(
            user=by,
            show=show,
            seats=labels,
            channel=BookingChannel.COUNTER,
            payment_mode=PaymentMode.COMPLIMENTARY if comp else PaymentMode.COUNTER,
            held_until=now + timedelta(minutes=settings.MARQUEE_HOLD_MINUTES),
            has_items=bool(lines),
            age_confirmed_at=now if adults_only else None,
            age_confirmed_by=by if adults_only else None,
        )
        claimed = holds.claim_for_sale(booking, labels, now) if labels else []
        if len(claimed) != len(labels):
            raise SeatsUnavailable(sorted(set(labels) - set(claimed)))
        for line in lines:
            line.booking = booking
        BookingItem.objects.bulk_create(lines)
        if promo_code:
            booking.promo = _counter_promo(promo_code, booking)
            booking.save(update_fields=["promo", "updated_at"])
        booking = promos.lock_for_checkout(booking)  # the code counted under its lock, as online
        priced = quote(booking)
        if priced.problems:
            raise BookingError(" ".join(priced.problems))
        if booking.has_items:
            take_stock(booking)
        if chosen == CounterMethod.CASH and cash < priced.total:
            raise BookingError(f"Cash tendered {format_inr(cash)} is less than the total {format_inr(priced.total)}.")
        booking.total = priced.total
        booking.price_breakdown = priced.as_api()
        booking.save(update_fields=["state", "total", "price_breakdown", "updated_at"])
        payment = Payment.objects.create(
            booking=booking,
            gateway=COUNTER_GATEWAY,
            order_id=f"{COUNTER_GATEWAY}:{booking.reference}",
            amount=priced.total,
            amount_paid=priced.total,
            status=PaymentStatus.PAID,
            method=chosen,
            paid_at=now,
        )
        sale = CounterSale.objects.create(
            booking=booking,
            shift=shift,
            method=chosen,
            total=priced.total,
            tendered=cash if cash is not None else priced.total,
            change_due=cash - priced.total if cash is not None else ZERO,
            reference=code,
            comp_reason=why,
            contact_email=email,
            contact_phone=phone,
        )
        if not confirm_locked(booking, payment):  # cannot lose: the seats were claimed above
            raise SeatsUnavailable(labels)
        if comp:
            data = {"reason": why, "seats": labels, "face_value": str(priced.face_value), "shift": shift.pk}
            audit_log(instance=booking, action="counter.complimentary", user=by, data=data)
    tickets = list(booking.tickets.order_by("pk")) if labels else []
    pickup = FoodPickup.objects.filter(booking=booking).values_list("code", flat=True).first() if lines else None
    return CounterSaleResult(booking=booking, sale=sale, tickets=tickets, items=lines, pickup_code=pickup)


def best_available(show_id, category: str, count, now=None) -> list[str]:
    """The best ``count`` free seats together in one row of ``category``: rows nearest two
    thirds of the way back first, then the block nearest the row's middle. Companion seats
    are never picked before their release time (staff may still pick them on the map). Only
    reads: the sale still claims them."""
    now = now or timezone.now()
    if not isinstance(count, int) or isinstance(count, bool) or not 0 < count <= 20:
        raise BookingError("Ask for between 1 and 20 seats.")
    show = _show(show_id)
    seats = list(
        ShowSeat.objects.filter(show=show, category__iexact=(category or "").strip()).values_list(
            "label", "row_index", "column", "state", "held_until", "companion"
        )
    )
    if not seats:
        raise BookingError(f"There are no {category} seats at this show.")
    kept = companions.kept_until(show.starts_at, now) is not None
    rows: dict[int, list] = {}
    for label, row_index, column, state, until, companion in sorted(seats, key=lambda s: (s[1], s[2])):
        free = public_state(state, until, now) == SeatState.AVAILABLE and not (kept and companion)
        rows.setdefault(row_index, []).append((column, label, free))
    ideal = min(rows) + (max(rows) - min(rows)) * 2 / 3
    for row_index in sorted(rows, key=lambda r: (abs(r - ideal), -r)):
        block = _best_block(rows[row_index], count)
        if block:
            return block
    raise BookingError(f"There are no {count} {category} seats together. Pick them on the seat map.")


def _best_block(row: list, count: int) -> list[str] | None:
    """Runs of free seats side by side (an aisle, a gap in columns, breaks a run); of the
    blocks of ``count`` in them, the one nearest the row's middle."""
    middle = (row[0][0] + row[-1][0]) / 2
    runs, run = [], []
    for column, label, free in row:
        if free and run and column == run[-1][0] + 1:
            run.append((column, label))
        elif free:
            run = [(column, label)]
            runs.append(run)
        else:
            run = []
    blocks = [run[i : i + count] for run in runs for i in range(len(run) - count + 1)]
    if not blocks:
        return None
    best = min(blocks, key=lambda b: abs((b[0][0] + b[-1][0]) / 2 - middle))
    return [label for _, label in best]


def void_sale(by, reference: str, reason: str) -> Booking:
    """A supervisor voids a counter sale while its shift is open: the seats go back on sale,
    the money goes back at the counter (a cash refund comes out of the drawer's expected cash),
    and the audit log records who and why."""
    reason = (reason or "").strip()
    if not reason:
        raise BookingError("Give a reason for voiding the sale.")
    with transaction.atomic():
        sale = _sale(reference)
        shift = CounterShift.objects.select_for_update().get(pk=sale.shift_id)  # sales and close lock it too
        if shift.state != ShiftState.OPEN:
            raise ShiftConflict("This sale's shift is closed; refund the booking from the bookings admin instead.")
        booking = Booking.objects.select_for_update().get(pk=sale.booking_id)
        if booking.state != BookingState.CONFIRMED:
            raise ShiftConflict(f"Booking {booking.reference} is already {booking.get_state_display().lower()}.")
        if booking.tickets.filter(used_at__isnull=False).exists():
            raise BookingError("A ticket of this sale was already admitted at the door; it cannot be voided.")
        now = timezone.now()
        ShowSeat.objects.filter(booking=booking, state=SeatState.SOLD).update(state=SeatState.AVAILABLE, booking=None)
        give_back_stock(booking)
        bump_seats(booking.show_id)
        if sale.total:  # a comp took no money: nothing to refund, no invoice to credit
            Refund.objects.create(
                booking=booking,
                payment=booking.payments.get(gateway=COUNTER_GATEWAY),
                destination=RefundDestination.COUNTER,
                amount=sale.total,
                reason=reason[:255],
                status=RefundStatus.PROCESSED,
                processed_at=now,
                created_by=by,
            )
            credit_refunds(booking, since=now)
        booking.state = BookingState.REFUNDED if sale.total else BookingState.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["state", "cancelled_at", "updated_at"])
        CounterSale.objects.filter(pk=sale.pk).update(voided_at=now, voided_by=by, void_reason=reason[:255])
        notify(booking, "booking_cancelled")
        audit_log(
            instance=booking,
            action="counter.void",
            user=by,
            data={"reason": reason[:255], "method": sale.method, "amount": str(sale.total), "shift": shift.pk},
        )
    return booking


def _sale(reference) -> CounterSale:
    sale = None
    if isinstance(reference, str) and reference.isascii() and reference.isalnum():
        sale = CounterSale.objects.select_related("shift").filter(booking__reference=reference.upper()[:12]).first()
    if sale is None:
        raise NotFound("No such counter sale.")
    return sale


def counter_sale(by, reference, *, supervisor: bool) -> CounterSale:
    """A sale ``by`` may see (its receipt): one of their own shifts', or any for a supervisor."""
    sale = _sale(reference)
    if not supervisor and sale.shift.staff_id != by.pk:
        raise NotFound("No such counter sale.")
    return sale
