"""Seat holds: claim seats with one conditional UPDATE, never sell a seat twice.

A hold is free for everyone the moment held_until has passed (lazy expiry); expire_holds()
only tidies state, in bounded bulk batches. See docs/DESIGN.md §3.

The hold path is the hottest in the box office (an opening-night rush is thousands of clicks
a minute), so it speaks SQL directly: one read to refuse what is visibly taken, then a short
transaction (find the customer's hold, insert or keep it, free dropped seats, claim) — the
conditional UPDATE's row count, not the read, is what decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from cinema.booking_window import closed_reason
from cinema.models import ShowPage, ShowPrice
from core.versions import bump_seats
from ticketing.errors import BookingError, NotVerified, SeatsUnavailable, ShowClosed
from ticketing.models import Booking, BookingState, SeatState, ShowSeat
from ticketing.services.verification import is_verified

# A hold that loses a lock race (deadlock, duplicate first hold) is simply tried again.
ATTEMPTS = 3
MAX_LABEL_LENGTH = 8
SEATS = ShowSeat._meta.db_table
BOOKINGS = Booking._meta.db_table


@dataclass
class HoldResult:
    booking: Booking
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # of each seat, in the booking's order


@dataclass(frozen=True)
class ShowFacts:
    """What a hold needs to know about a show, read without building a Wagtail page."""

    pk: int
    status: str
    live: bool
    starts_at: object
    booking_opens_at: object
    booking_closes_at: object
    max_per_booking: int

    @classmethod
    def load(cls, show_id: int) -> ShowFacts | None:
        row = (
            ShowPage.objects.filter(pk=show_id)
            .values_list("pk", "status", "live", "starts_at", "booking_opens_at", "booking_closes_at", "max_per_booking")
            .first()
        )
        return cls(*row) if row else None

    def price_map(self):
        return dict(ShowPrice.objects.filter(show_id=self.pk).values_list("category", "amount"))


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
    reason = closed_reason(show, now)
    if reason is not None:
        raise ShowClosed(reason)


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _check_request(user, show, labels: list[str], now) -> dict[str, str]:
    """Refuse what can be refused from one read; returns each seat's category."""
    if not labels:
        raise BookingError("Choose at least one seat.")
    if not is_verified(user):
        raise NotVerified("Please verify your e-mail address before holding seats.")
    check_show_open(show, now)
    if len(labels) > show.max_per_booking:
        raise BookingError(f"You can book at most {show.max_per_booking} seats at a time.")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.label, s.state, s.held_until, s.category, b.user_id, b.state FROM {SEATS} s "
            f"LEFT JOIN {BOOKINGS} b ON b.id = s.booking_id WHERE s.show_id = %s AND s.label IN ({_marks(labels)})",
            [show.pk, *labels],
        )
        rows = cursor.fetchall()
    found = {label: category for label, _, _, category, _, _ in rows}
    unknown = [label for label in labels if label not in found]
    if unknown:
        raise BookingError(f"There is no seat {', '.join(unknown)} at this show.", unavailable=unknown)
    blocked = [label for label, state, *_ in rows if state == SeatState.BLOCKED]
    if blocked:
        raise SeatsUnavailable(sorted(blocked))
    taken = [
        label
        for label, state, until, _, owner, booking_state in rows
        if state == SeatState.SOLD
        or (
            state == SeatState.HELD
            and until is not None
            and _aware(until) >= now
            and not (owner == user.pk and booking_state == BookingState.HELD)
        )
    ]
    if taken:
        raise SeatsUnavailable(sorted(taken))
    return found


def _aware(value):
    """Raw cursors give SQLite timestamps as naive UTC (or strings on some drivers)."""
    if value is None:
        return None
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def hold_seats(user, show, labels, now=None) -> HoldResult:
    """Hold these seats for the customer, replacing their earlier hold at this show.

    ``show`` is a ShowPage or ShowFacts (anything with the fields check_show_open reads).
    """
    now = now or timezone.now()
    labels = normalise_labels(labels)
    categories = _check_request(user, show, labels, now)
    for attempt in range(ATTEMPTS):
        try:
            booking = _claim(user, show, labels, now)
            break
        except (IntegrityError, DatabaseError):
            if attempt == ATTEMPTS - 1:
                raise
    return HoldResult(
        booking=booking,
        warnings=single_seat_gaps(show, labels, booking),
        categories=[categories[label] for label in labels],
    )


@transaction.atomic
def _claim(user, show, labels: list[str], now) -> Booking:
    until = now + timedelta(minutes=settings.MARQUEE_HOLD_MINUTES)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {BOOKINGS} WHERE user_id = %s AND show_id = %s AND state = %s{lock}",
            [user.pk, show.pk, BookingState.HELD],
        )
        row = cursor.fetchone()
    if row is None:
        booking = Booking.objects.create(user=user, show_id=show.pk, held_until=until, seats=labels)
    else:
        booking = Booking.objects.get(pk=row[0])
    with connection.cursor() as cursor:
        if row is not None:
            # Seats dropped from the hold go back on sale; seats kept stay held (re-claimed below).
            cursor.execute(
                f"UPDATE {SEATS} SET state = %s, booking_id = NULL, held_until = NULL "
                f"WHERE booking_id = %s AND state = %s AND label NOT IN ({_marks(labels)})",
                [SeatState.AVAILABLE, booking.pk, SeatState.HELD, *labels],
            )
        cursor.execute(
            f"UPDATE {SEATS} SET state = %s, booking_id = %s, held_until = %s "
            f"WHERE show_id = %s AND label IN ({_marks(labels)}) "
            "AND (state = %s OR (state = %s AND (held_until < %s OR booking_id = %s)))",
            [SeatState.HELD, booking.pk, until, show.pk, *labels, SeatState.AVAILABLE, SeatState.HELD, now, booking.pk],
        )
        claimed = cursor.rowcount
    if claimed != len(labels):
        taken = sorted(
            ShowSeat.objects.filter(show_id=show.pk, label__in=labels).exclude(booking=booking).values_list("label", flat=True)
        )
        raise SeatsUnavailable(taken or labels)  # the atomic block rolls everything back
    bump_seats(show.pk)
    if row is not None:
        booking.seats = labels
        booking.held_until = until
        booking.save(update_fields=["seats", "held_until", "updated_at"])
    return booking


def single_seat_gaps(show, labels: list[str], booking) -> list[str]:
    """Seats left alone between taken seats in the rows just held: allowed, but worth a word."""
    rows = sorted({label.rstrip("0123456789") for label in labels})
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "row", "column", label, state, held_until FROM {SEATS} '
            f'WHERE show_id = %s AND "row" IN ({_marks(rows)}) ORDER BY "row", "column"',
            [show.pk, *rows],
        )
        seats = cursor.fetchall()
    taken = {
        (row, column)
        for row, column, _, state, until in seats
        if state == SeatState.SOLD or (state == SeatState.HELD and until and _aware(until) >= now)
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
    bump_seats(booking.show_id)
    booking.state = BookingState.EXPIRED
    booking.save(update_fields=["state", "updated_at"])
    return booking


# The sweep works in batches of this many rows, each its own short transaction, and starts no
# new batch once a run has spent its budget: a run stays well under a second whatever the backlog.
SWEEP_BATCH = 5_000
SWEEP_BUDGET = timedelta(seconds=0.3)


def expire_holds(now=None, budget: timedelta = SWEEP_BUDGET) -> tuple[int, int]:
    """Tidy holds past their time: free their seats and mark the bookings expired, the
    longest-lapsed first; returns how many of each.

    A lapsed hold already reads as free everywhere (public_state, the hold's conditional
    UPDATE, the finalizer, the reports), so tidying may wait: a backlog bigger than one run's
    budget (100,000 seats rewritten cost over a second of heap and WAL) is finished by the
    schedule's next runs. Rows another transaction has locked (a hold re-claiming a lapsed
    seat, a checkout) are skipped, and each UPDATE re-checks its condition, so a seat held
    again is never freed. Bumps no seat version: what any customer sees does not change."""
    now = now or timezone.now()
    stop = timezone.now() + budget  # the real clock: ``now`` may be a moment in a test's future
    seats = bookings = 0
    seats_left = bookings_left = True
    while seats_left or bookings_left:
        if seats_left:
            freed = _tidy(ShowSeat, now, state=SeatState.AVAILABLE, booking=None, held_until=None)
            seats, seats_left = seats + freed, freed == SWEEP_BATCH
        if bookings_left:
            expired = _tidy(Booking, now, state=BookingState.EXPIRED, updated_at=now)
            bookings, bookings_left = bookings + expired, expired == SWEEP_BATCH
        if timezone.now() >= stop:
            break
    return seats, bookings


def _tidy(model, now, **changes) -> int:
    """One batch of the sweep, in its own transaction. The commit does not wait for the WAL
    flush (PostgreSQL): a batch lost in a crash is simply done again by the next run."""
    lapsed = model.objects.filter(state="held", held_until__lt=now)
    with transaction.atomic():
        if connection.vendor != "postgresql":  # SQLite: no row locks, and IN (… LIMIT n) runs once
            return lapsed.filter(pk__in=lapsed.order_by("held_until").values("pk")[:SWEEP_BATCH]).update(**changes)
        table = model._meta.db_table
        columns = ", ".join(f'"{model._meta.get_field(name).column}" = %s' for name in changes)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            # The batch is locked and fixed once, in a materialized CTE: PostgreSQL may re-run an
            # `IN (SELECT … LIMIT n FOR UPDATE)` sub-select and so update more than n rows.
            cursor.execute(
                f"WITH batch AS MATERIALIZED (SELECT id FROM {table} WHERE state = %s AND held_until < %s "
                f"ORDER BY held_until LIMIT %s FOR UPDATE SKIP LOCKED) "
                f"UPDATE {table} SET {columns} FROM batch WHERE {table}.id = batch.id",
                ["held", now, SWEEP_BATCH, *changes.values()],
            )
            return cursor.rowcount
