"""Companion seats: the seats beside wheelchair spaces, kept for a wheelchair user's companion
until a set time before the show (Booking settings), then sold like any seat.

Until then a companion seat is held only in the same hold as a wheelchair space beside it (or
by the customer who already bought that space), or sold at the counter by staff. The rule is
part of the hold's conditional UPDATE (``claim_sql``), so the database decides it under the
same row locks as every other seat rule; the read before it only finds the words for a refusal
(docs/DESIGN.md §3).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext

from core import prepared
from core.booking_rules import BookingSettings
from core.formatting import showdate, showtime
from ticketing.errors import BookingError
from ticketing.models import Booking, BookingState, SeatState, ShowSeat

SEATS = ShowSeat._meta.db_table
BOOKINGS = Booking._meta.db_table


class CompanionSeatKept(BookingError):
    """A companion seat asked for alone before its release time."""

    status = 409
    code = "companion_seat_kept"

    def __init__(self, labels: list[str], partners: dict[str, list[str]], release):
        self.labels = labels
        sentences = []
        for label in labels:
            beside = partners.get(label) or []
            either = " " + gettext("or") + " "
            words = {"seat": label, "when": when(release), "spaces": either.join(beside)}
            if beside:
                sentences.append(
                    gettext(
                        "Seat %(seat)s is kept for the companion of a wheelchair user until %(when)s. "
                        "Choose it together with wheelchair space %(spaces)s, or pick another seat."
                    )
                    % words
                )
            else:
                sentences.append(gettext("Seat %(seat)s is kept for the companion of a wheelchair user until %(when)s.") % words)
        super().__init__(" ".join(sentences), unavailable=labels)


def when(moment) -> str:
    """ "6:30 pm on Sun 6 Dec 2026", in the site's time zone."""
    return gettext("%(time)s on %(date)s") % {"time": showtime(moment), "date": showdate(moment)}


def release_at(starts_at, rules=None):
    """The instant a show's companion seats go on general sale."""
    rules = rules or BookingSettings.load()
    return starts_at - timedelta(hours=rules.companion_release_hours)


def kept_until(starts_at, now, rules=None):
    """The release time while companion seats are still kept, else None."""
    if starts_at is None:
        return None
    release = release_at(starts_at, rules)
    return release if now < release else None


def claim_sql(alias: str, labels: list[str], user_id) -> tuple[str, list]:
    """The claim's extra condition before the release time: a seat that is not a companion
    seat, or one beside (same row, next column) a wheelchair space that this same statement
    claims (its label is asked: a short row count then rolls the whole hold back) or that the
    customer already bought. ``alias`` names the seat table in the UPDATE."""
    asked_sql, asked_params = prepared.any_of("w.label", labels)
    sql = (
        f"AND (NOT {alias}.companion OR EXISTS (SELECT 1 FROM {SEATS} w WHERE w.show_id = {alias}.show_id "
        f'AND w."row" = {alias}."row" AND w.wheelchair AND (w."column" = {alias}."column" - 1 OR w."column" = {alias}."column" + 1) '
        f"AND ({asked_sql} OR (w.state = %s AND w.booking_id IN "
        f"(SELECT id FROM {BOOKINGS} WHERE user_id = %s AND state = %s)))))"
    )
    return sql, [*asked_params, SeatState.SOLD, user_id, BookingState.CONFIRMED]


def refused(seats, labels: list[str]) -> dict[str, list[str]]:
    """From the seats the hold read (the asked ones and their neighbours, each wheelchair
    space saying whether this customer ``bought`` it): the asked companion seats with no wheelchair
    space beside them that is asked too or bought by this customer, each with the spaces
    beside it. Only for the refusal's words; ``claim_sql`` decides."""
    by_place = {(seat.row, seat.column): seat for seat in seats}
    asked = set(labels)
    refusals = {}
    for seat in seats:
        if seat.label not in asked or not seat.companion:
            continue
        beside = [by_place.get((seat.row, seat.column + step)) for step in (-1, 1)]
        spaces = [other for other in beside if other is not None and other.wheelchair]
        ok = any(other.label in asked or other.bought for other in spaces)
        if not ok:
            refusals[seat.label] = [other.label for other in spaces]
    return refusals
