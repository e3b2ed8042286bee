"""The wallet part of a booking: what it holds of the customer's wallet, and giving it back.

Checkout takes the wallet part (and the food stock); finalize, cancellation and the reconcile task give it back
(or check it is still in). They all import it from here, so none of them imports another
for it.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.money import ZERO
from core.versions import bump_seats
from ticketing.models import Booking, BookingState
from ticketing.services.food_stock import give_back_stock
from wallet import services as wallet
from wallet.models import TransactionKind


@transaction.atomic
def give_back_wallet_part(
    booking: Booking, reason: str, next_state: str | None = None, *, attempt: datetime | None = None
) -> Booking:
    """Undo a checkout that will not be paid: wallet part back, booking held again (or expired).

    ``attempt``: the booking's ``updated_at`` when this checkout began; if it moved on since
    (another Pay took over an abandoned checkout), that newer checkout is left alone."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.state != BookingState.PAYMENT_PENDING:
        return booking
    if attempt is not None and booking.updated_at != attempt:
        return booking
    return hold_again(booking, reason, next_state)


def hold_again(booking: Booking, reason: str, next_state: str | None = None) -> Booking:
    """Wallet part back, food stock back, held again (or expired if the hold ended); the caller
    holds the lock."""
    release_wallet_part(booking, reason)
    give_back_stock(booking)
    if next_state is None:
        expired = booking.held_until is not None and booking.held_until < timezone.now()
        next_state = BookingState.EXPIRED if expired else BookingState.HELD
    booking.state = next_state
    booking.save(update_fields=["state", "updated_at"])
    bump_seats(booking.show_id)  # the seat map shows the hold again (or its seats free)
    return booking


def wallet_taken(booking: Booking):
    """What the booking holds of its customer's wallet right now (ledger sum, ≥ 0)."""
    kinds = [TransactionKind.BOOKING_PAYMENT, TransactionKind.BOOKING_RELEASE]
    total = booking.wallet_transactions.filter(kind__in=kinds).aggregate(total=Sum("amount"))["total"]
    return -(total or ZERO)


def release_wallet_part(booking: Booking, reason: str) -> None:
    """Give back whatever the booking still holds of the wallet (call with the booking locked)."""
    held = wallet_taken(booking)
    if held > ZERO:
        wallet.credit(booking.user, held, reason=reason, kind=TransactionKind.BOOKING_RELEASE, booking=booking)
