"""Admitting tickets at the door (docs/DESIGN.md §3: a ticket admits once).

`check_in()` is the one entry for the admin page, its no-JavaScript form and the API. The
admission itself is a single conditional UPDATE on `used_at IS NULL`, so two scanners
submitting the same code at the same instant admit it once: the database decides, not a
read before the write.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from core.formatting import showdatetime, showtime
from ticketing.errors import RateLimited
from ticketing.models import Booking, BookingState, Ticket
from ticketing.models.bookings import REFERENCE_ALPHABET

logger = logging.getLogger("marquee.checkin")

ADMITTED, ALREADY_USED, WRONG_SHOW, CANCELLED, INVALID = "admitted", "already_used", "wrong_show", "cancelled", "invalid"
RESULTS = (ADMITTED, ALREADY_USED, WRONG_SHOW, CANCELLED, INVALID)
LOG_ACTION = "ticket.check_in"
CODE_LENGTH = 16
_CODE = re.compile(f"[{REFERENCE_ALPHABET}]{{{CODE_LENGTH}}}")
_SEPARATORS = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class CheckInResult:
    result: str
    ticket: Ticket | None = None
    used_at: datetime | None = None

    @property
    def admitted(self) -> bool:
        return self.result == ADMITTED

    @property
    def message(self) -> str:
        """What the door person reads out; the same words on the page, the form and the API."""
        ticket = self.ticket
        if self.result == ADMITTED:
            return f"Seat {ticket.seat_label}"
        if self.result == ALREADY_USED:
            if self.used_at is None:
                return "Already used"
            when = (
                showtime(self.used_at) if timezone.localdate(self.used_at) == timezone.localdate() else showdatetime(self.used_at)
            )
            return f"Already used at {when}"
        if self.result == WRONG_SHOW:
            return f"Wrong show: this ticket is for {showdatetime(ticket.show.starts_at)}"
        if self.result == CANCELLED and ticket.voided_at is not None:
            return "Seat cancelled: do not admit"
        if self.result == CANCELLED:
            return f"Booking {ticket.booking.get_state_display().lower()}: do not admit"
        return "No ticket with this code"


def normalise_code(raw: str) -> str:
    """Staff type codes in groups ("ABCD-EFGH …") and in lower case; the stored code is 16
    capitals. Anything that cannot be a code comes back as typed, and is then invalid."""
    return _SEPARATORS.sub("", raw or "").upper()


def check_in(code: str, by, show_id: int | None = None) -> CheckInResult:
    """Admit the ticket with this code, or say why not: invalid → cancelled → wrong_show,
    then the conditional UPDATE decides admitted or already_used.

    Raises RateLimited when `by` has had too many unknown codes this minute (a guessing guard).
    """
    _refuse_if_guessing(by)
    code = normalise_code(code)
    ticket = _find(code) if _CODE.fullmatch(code) else None
    if ticket is None:
        _count_failure(by)
        logger.info("check-in invalid code by user %s", getattr(by, "pk", None))
        return CheckInResult(INVALID)
    if ticket.booking.state != BookingState.CONFIRMED or ticket.voided_at is not None:
        return _refused(CheckInResult(CANCELLED, ticket), by)
    if show_id is not None and ticket.show_id != show_id:
        return _refused(CheckInResult(WRONG_SHOW, ticket), by)
    return _admit(ticket, by)


def _find(code: str) -> Ticket | None:
    return Ticket.objects.select_related("booking__user", "show__movie", "show__screen__theater").filter(code=code).first()


def _admit(ticket: Ticket, by) -> CheckInResult:
    """One UPDATE keyed on the ticket's own `used_at IS NULL`. The booking's state is checked
    through `booking_id IN (SELECT …)`, never a join: Django turns an UPDATE with a join into
    `id IN (SELECT … used_at IS NULL)`, which PostgreSQL re-checks against the old snapshot
    after waiting for a concurrent admission, and would admit twice."""
    now = timezone.now()
    confirmed = Booking.objects.filter(pk=ticket.booking_id, state=BookingState.CONFIRMED)
    with transaction.atomic():
        rows = Ticket.objects.filter(pk=ticket.pk, used_at__isnull=True, voided_at__isnull=True, booking__in=confirmed).update(
            used_at=now, used_by=by
        )
        if rows == 1:
            ticket.used_at, ticket.used_by = now, by
            _log_admission(ticket, by, now)
            return CheckInResult(ADMITTED, ticket, now)
    # Someone else admitted it first, or the booking (or this seat) was cancelled a moment ago.
    fresh = Ticket.objects.filter(pk=ticket.pk).values("used_at", "voided_at", "booking__state").first()
    if fresh is None:  # the booking was deleted meanwhile
        return CheckInResult(INVALID)
    if fresh["voided_at"] is not None and fresh["used_at"] is None:
        ticket.voided_at = fresh["voided_at"]
        return _refused(CheckInResult(CANCELLED, ticket), by)
    if fresh["booking__state"] != BookingState.CONFIRMED:
        ticket.booking.state = fresh["booking__state"]
        return _refused(CheckInResult(CANCELLED, ticket), by)
    ticket.used_at = fresh["used_at"]
    return _refused(CheckInResult(ALREADY_USED, ticket, ticket.used_at), by)


def _log_admission(ticket: Ticket, by, now) -> None:
    """Wagtail's audit log (Reports → Site history): who let which seat of which booking in.
    The title names the booking, not the code, so the log never lists usable codes."""
    log(
        instance=ticket,
        action=LOG_ACTION,
        user=by,
        timestamp=now,
        title=f"{ticket.booking.reference} · {ticket.seat_label}",
        data={"booking": ticket.booking.reference, "seat": ticket.seat_label, "show": ticket.show_id},
    )
    logger.info("check-in admitted %s seat %s by user %s", ticket.booking.reference, ticket.seat_label, by.pk)


def _refused(result: CheckInResult, by) -> CheckInResult:
    logger.info(
        "check-in %s: %s seat %s by user %s", result.result, result.ticket.booking.reference, result.ticket.seat_label, by.pk
    )
    return result


# --- guessing guard --------------------------------------------------------------------------
def _failure_key(by) -> str:
    return f"checkin-invalid:{by.pk}:{int(timezone.now().timestamp() // 60)}"


def _refuse_if_guessing(by) -> None:
    """Once a user has had MARQUEE_CHECKIN_INVALID_RATE unknown codes in a minute, every
    lookup is refused until the minute ends: answering valid codes meanwhile would let a
    guesser tell hits from misses."""
    limit = settings.MARQUEE_CHECKIN_INVALID_RATE
    if limit and cache.get(_failure_key(by), 0) >= limit:
        raise RateLimited("Too many unknown ticket codes in a minute. Wait a minute, then scan again.")


def _count_failure(by) -> None:
    if not settings.MARQUEE_CHECKIN_INVALID_RATE:
        return
    key = _failure_key(by)
    if cache.add(key, 1, timeout=90):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)


# --- what the door sees ----------------------------------------------------------------------
def customer_name(user) -> str:
    """The first name, else the e-mail masked ("a***@example.com"): enough to greet someone,
    not enough to harvest addresses from a lost scanner."""
    if user.first_name:
        return user.first_name
    local, _, domain = (user.email or "").partition("@")
    if not local:
        return ""
    return f"{local[0]}***@{domain}" if domain else f"{local[0]}***"


def ticket_details(ticket: Ticket) -> dict:
    show = ticket.show
    return {
        "code": ticket.code,
        "seat": ticket.seat_label,
        "category": ticket.category,
        "booking": ticket.booking.reference,
        "customer": customer_name(ticket.booking.user),
        "show": ticket.show_id,
        "movie": show.movie.title if show.movie_id else show.title,
        "certification": show.movie.certification if show.movie_id else "",
        "starts_at": timezone.localtime(show.starts_at).isoformat(),
        "theater": show.screen.theater.title,
        "screen": show.screen.name,
    }
