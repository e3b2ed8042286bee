"""Seat holds: claim seats with one conditional UPDATE, never sell a seat twice.

A hold is free for everyone the moment held_until has passed (lazy expiry); expire_holds()
only tidies state, in two bulk statements. See DESIGN.md §3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ticketing.errors import BookingError, NotVerified, SeatsUnavailable, ShowClosed
from ticketing.models import Booking, BookingState, SeatState, ShowSeat
from ticketing.services.verification import is_verified

# A hold that loses a lock race (deadlock, duplicate first hold) is simply tried again.
ATTEMPTS = 3
MAX_LABEL_LENGTH = 8


@dataclass
class HoldResult:
    booking: Booking
    warnings: list[str] = field(default_factory=list)


def normalise_labels(labels) -> list[str]:
    """["a1", " A2", "A1"] → ["A1", "A2"]; refuses anything that is not a short seat label."""
    if not isinstance(labels, list | tuple):
        raise BookingError('Send the seats as a list of labels, for example ["A1", "A2"].')
    cleaned: list[str] = []
    for label in labels:
        if not isinstance(label, str) or not label.strip() or len(label.strip()) > MAX_LABEL_LENGTH:
            raise BookingError(f"“{str(label)[:20]}” is not a seat label like A1.")
        label = label.strip().upper()
        if label not in cleaned:
            cleaned.append(label)
    return cleaned


def check_show_open(show, now) -> None:
    if show.status == "cancelled":
        raise ShowClosed("This show has been cancelled.")
    if show.status == "sold_out":
        raise ShowClosed("This show is sold out.")
    if not show.live:
        raise ShowClosed("This show is not on sale.")
    if now >= show.starts_at:
        raise ShowClosed("This show has already started.")
    if show.booking_opens_at and now < show.booking_opens_at:
        raise ShowClosed(f"Booking opens {timezone.localtime(show.booking_opens_at):%d %b at %H:%M}.")
    if now >= (show.booking_closes_at or show.starts_at):
        raise ShowClosed("Booking for this show has closed.")


def _check_request(user, show, labels: list[str], now) -> None:
    if not labels:
        raise BookingError("Choose at least one seat.")
    if not is_verified(user):
        raise NotVerified("Please verify your e-mail address before holding seats.")
    check_show_open(show, now)
    if len(labels) > show.max_per_booking:
        raise BookingError(f"You can book at most {show.max_per_booking} seats at a time.")
    states = dict(ShowSeat.objects.filter(show=show, label__in=labels).values_list("label", "state"))
    unknown = [label for label in labels if label not in states]
    if unknown:
        raise BookingError(f"There is no seat {', '.join(unknown)} at this show.", unavailable=unknown)
    blocked = [label for label in labels if states[label] == SeatState.BLOCKED]
    if blocked:
        raise SeatsUnavailable(blocked)


def hold_seats(user, show, labels, now=None) -> HoldResult:
    """Hold these seats for the customer, replacing their earlier hold at this show."""
    now = now or timezone.now()
    labels = normalise_labels(labels)
    _check_request(user, show, labels, now)
    for attempt in range(ATTEMPTS):
        try:
            booking = _claim(user, show, labels, now)
            break
        except (IntegrityError, DatabaseError):
            if attempt == ATTEMPTS - 1:
                raise
    return HoldResult(booking=booking, warnings=single_seat_gaps(show, labels, booking))


@transaction.atomic
def _claim(user, show, labels: list[str], now) -> Booking:
    until = now + timedelta(minutes=settings.MARQUEE_HOLD_MINUTES)
    booking = Booking.objects.select_for_update().filter(user=user, show=show, state=BookingState.HELD).first()
    if booking is None:
        booking = Booking.objects.create(user=user, show=show, held_until=until, seats=labels)
    # Seats dropped from the hold go back on sale; seats kept stay held (re-claimed below).
    ShowSeat.objects.filter(booking=booking, state=SeatState.HELD).exclude(label__in=labels).update(
        state=SeatState.AVAILABLE, booking=None, held_until=None
    )
    claimable = (
        Q(state=SeatState.AVAILABLE) | Q(state=SeatState.HELD, held_until__lt=now) | Q(state=SeatState.HELD, booking=booking)
    )
    claimed = (
        ShowSeat.objects.filter(show=show, label__in=labels)
        .filter(claimable)
        .update(state=SeatState.HELD, booking=booking, held_until=until)
    )
    if claimed != len(labels):
        taken = sorted(
            ShowSeat.objects.filter(show=show, label__in=labels).exclude(booking=booking).values_list("label", flat=True)
        )
        raise SeatsUnavailable(taken or labels)  # the atomic block rolls everything back
    booking.seats = labels
    booking.held_until = until
    booking.save(update_fields=["seats", "held_until", "updated_at"])
    return booking


def single_seat_gaps(show, labels: list[str], booking) -> list[str]:
    """Seats left alone between taken seats in the rows just held: allowed, but worth a word."""
    rows = {label.rstrip("0123456789") for label in labels}
    now = timezone.now()
    seats = list(
        ShowSeat.objects.filter(show=show, row__in=rows)
        .order_by("row", "column")
        .values_list("row", "column", "label", "state", "held_until")
    )
    taken = {
        (row, column)
        for row, column, _, state, until in seats
        if state == SeatState.SOLD or (state == SeatState.HELD and until and until >= now)
    }
    mine = {(row, column) for row, column, label, _, _ in seats if label in labels}
    warnings = []
    for row, column, label, state, _ in seats:
        free = (row, column) not in taken and state != SeatState.BLOCKED
        neighbours = {(row, column - 1), (row, column + 1)}
        if free and neighbours <= taken and neighbours & mine:
            warnings.append(f"Seat {label} is left as a single empty seat between taken seats.")
    return warnings


@transaction.atomic
def release_hold(booking) -> Booking:
    """The customer lets their seats go before the hold runs out. Repeating it changes nothing."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.state != BookingState.HELD:
        return booking
    ShowSeat.objects.filter(booking=booking, state=SeatState.HELD).update(
        state=SeatState.AVAILABLE, booking=None, held_until=None
    )
    booking.state = BookingState.EXPIRED
    booking.save(update_fields=["state", "updated_at"])
    return booking


def expire_holds(now=None) -> tuple[int, int]:
    """Tidy holds past their time: free the seats, mark the bookings expired (bulk only)."""
    now = now or timezone.now()
    with transaction.atomic():
        seats = ShowSeat.objects.filter(state=SeatState.HELD, held_until__lt=now).update(
            state=SeatState.AVAILABLE, booking=None, held_until=None
        )
        bookings = Booking.objects.filter(state=BookingState.HELD, held_until__lt=now).update(
            state=BookingState.EXPIRED, updated_at=now
        )
    return seats, bookings
