"""Handing over a booking's food and drinks at the stand, once (like a ticket at the door).

`collect()` is the one entry for the admin page. The hand-over is one conditional UPDATE on
`collected_at IS NULL` (for a confirmed booking), so two stands scanning the same code at the
same instant hand it over once: the row count decides."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from core.formatting import showdatetime, showtime
from ticketing.models import Booking, BookingItem, BookingState, FoodPickup
from ticketing.models.bookings import REFERENCE_ALPHABET

HANDED_OVER, ALREADY_COLLECTED, CANCELLED, INVALID = "handed_over", "already_collected", "cancelled", "invalid"
_CODE = re.compile(f"FD[{REFERENCE_ALPHABET}]{{8}}")
_SEPARATORS = re.compile(r"[\s\-]+")


@dataclass
class PickupResult:
    result: str
    pickup: FoodPickup | None = None
    items: list[BookingItem] = field(default_factory=list)
    collected_at: datetime | None = None

    @property
    def message(self) -> str:
        if self.result == HANDED_OVER:
            return "Hand over: " + ", ".join(f"{line.quantity} × {line.name}" for line in self.items)
        if self.result == ALREADY_COLLECTED:
            when = self.collected_at
            if when is None:
                return "Already collected"
            said = showtime(when) if timezone.localdate(when) == timezone.localdate() else showdatetime(when)
            return f"Already collected at {said}"
        if self.result == CANCELLED:
            return f"Booking {self.pickup.booking.get_state_display().lower()}: do not hand over"
        return "No order with this pickup code"


def normalise_code(raw: str) -> str:
    return _SEPARATORS.sub("", raw or "").upper()[:40]


def collect(code: str, by) -> PickupResult:
    """Hand over the items of the booking with this pickup code, or say why not."""
    code = normalise_code(code)
    if not _CODE.fullmatch(code):
        return PickupResult(INVALID)
    pickup = FoodPickup.objects.select_related("booking").filter(code=code).first()
    if pickup is None:
        return PickupResult(INVALID)
    items = list(BookingItem.objects.filter(booking_id=pickup.booking_id).order_by("id"))
    if pickup.booking.state != BookingState.CONFIRMED:
        return PickupResult(CANCELLED, pickup, items)
    now = timezone.now()
    # The booking's state through `booking_id IN (SELECT …)`, never a join: Django turns an
    # UPDATE with a join into `id IN (SELECT … collected_at IS NULL)`, which PostgreSQL re-checks
    # against the old snapshot after waiting for the other stand, and would hand over twice.
    confirmed = Booking.objects.filter(pk=pickup.booking_id, state=BookingState.CONFIRMED)
    won = FoodPickup.objects.filter(pk=pickup.pk, collected_at__isnull=True, booking__in=confirmed).update(
        collected_at=now, collected_by=by
    )
    if won:
        return PickupResult(HANDED_OVER, pickup, items, now)
    collected_at = FoodPickup.objects.filter(pk=pickup.pk).values_list("collected_at", flat=True).first()
    if collected_at is None:  # cancelled between the read and the write
        return PickupResult(CANCELLED, pickup, items)
    return PickupResult(ALREADY_COLLECTED, pickup, items, collected_at)
