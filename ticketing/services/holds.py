"""Seat holds: claim seats with one conditional UPDATE, never sell a seat twice.

A hold is free for everyone the moment held_until has passed (lazy expiry); expire_holds()
only closes the bookings, in one statement, and leaves the seat rows. See docs/DESIGN.md §3.

The hold path is the hottest in the box office (an opening-night rush is thousands of clicks
a minute), so it speaks SQL directly: one read of the asked seats' rows (to refuse what is
visibly taken, and for the single-seat warning), then on PostgreSQL, for a customer's first
hold at the show, one statement that claims all the asked seats or nothing; a hold replacing
an earlier one is a short transaction that locks it, frees dropped seats and claims. The
conditional UPDATE's row count, not the read, is what decides. The show's facts, prices and
the booking settings come from the cache by content version.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import ReferenceIndex

from cinema.booking_window import closed_reason
from cinema.models import ShowPage
from core import booking_rules, prepared, versions
from core.raw_rows import every_column, from_row, insert_parts
from core.read_ahead import read_ahead
from core.version_cache import cached
from core.versions import bump_seats
from ticketing.errors import BookingError, NotVerified, SeatsUnavailable, ShowClosed
from ticketing.models import Booking, BookingState, SeatState, ShowSeat
from ticketing.services import companions, verification
from ticketing.services.age_rating import age_confirmation
from ticketing.services.show_cache import facts_key, prices_key, show_prices
from ticketing.services.tax_waivers import waiver_key

# A hold that loses a lock race (deadlock, duplicate first hold) is simply tried again.
ATTEMPTS = 3
MAX_LABEL_LENGTH = 8
# A seat left alone sits next to an asked seat, and its other neighbour is one further.
NEAR = 2
SEATS = ShowSeat._meta.db_table
BOOKINGS = Booking._meta.db_table
HELD = BookingState.HELD.value  # written into SQL text as a literal: a constant, never input


@dataclass
class HoldResult:
    booking: Booking
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # of each seat, in the booking's order


FACT_COLUMNS = (
    *("pk", "status", "live", "starts_at", "booking_opens_at", "booking_closes_at", "max_per_booking"),
    *("movie__certification", "movie__title"),
)


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
    certification: str
    movie_title: str

    @classmethod
    def load(cls, show_id: int) -> ShowFacts | None:
        def read():
            row = ShowPage.objects.filter(pk=show_id).values_list(*FACT_COLUMNS).first()
            return cls(*row) if row else None

        def read_live():
            facts = read()
            return facts if facts is not None and facts.live else None

        # Only live shows are cached: going live in a bulk UPDATE (the scheduler) sends no signal.
        return cached(facts_key(show_id), read_live) or read()

    def price_map(self):
        return show_prices(self.pk)


def read_keys(show_id: int, user_id) -> list[str]:
    """The copies a hold and its quote read from the cache: the content version, the show's
    facts, prices and tax-free-film flag, booking settings, the customer's verified address."""
    keys = [versions.CONTENT, facts_key(show_id), prices_key(show_id), waiver_key(show_id)]
    return [*keys, versions.RULES, booking_rules.CACHE_KEY, verification.cache_key(user_id)]


def hold_reads(user, show_id: int, known: dict | None = None):
    """A block in which those copies come in one round trip (core/read_ahead.py), or in none
    for the ones ``known`` already holds (read with the customer's copy, ticketing/api/hold_auth.py)."""
    return read_ahead(*read_keys(show_id, user.pk), known=known)


def normalise_labels(labels) -> list[str]:
    """["a1", " A2", "A1"] → ["A1", "A2"]; refuses anything that is not a short seat label."""
    if not isinstance(labels, list | tuple):
        raise BookingError(gettext('Send the seats as a list of labels, for example ["A1", "A2"].'))
    cleaned: list[str] = []
    for label in labels:
        if not isinstance(label, str) or not label.strip() or len(label.strip()) > MAX_LABEL_LENGTH:
            raise BookingError(gettext("“%(label)s” is not a seat label like A1.") % {"label": str(label)[:20]})
        label = label.strip().upper()
        if label not in cleaned:
            cleaned.append(label)
    return cleaned


def check_show_open(show, now) -> None:
    reason = closed_reason(show, now)
    if reason is not None:
        raise ShowClosed(reason)


class _Seat(NamedTuple):
    """One seat row as the hold's read returns it (a tuple: a storm builds thousands a second)."""

    label: str
    state: str
    taken: bool  # sold, or held by a hold that has not lapsed (whoever holds it)
    category: str
    mine: bool | None  # in the customer's current hold at this show (the one being replaced)
    bought: bool | None  # a wheelchair space this customer has bought (companion seats' rule)
    row: str
    column: int
    wheelchair: bool
    companion: bool


def _read_rows(user, show, labels: list[str], now, ask_verified: bool, lock: bool) -> tuple[list[_Seat], bool | None, int | None]:
    """The asked seats and their neighbours up to ``NEAR`` places either side in the same row
    (all the single-seat warning and the companion-seat rule look at), in one read that probes
    the position index from each asked seat (DISTINCT: neighbourhoods overlap); with them,
    the customer's current hold at this show (with ``lock``, locked: FOR UPDATE) and with ``ask_verified``
    whether the customer is verified (None: no rows came back).

    The lock is taken here, in its own statement inside the hold's transaction, so the claim
    that follows starts from a snapshot taken after it: a second tab replacing the same hold
    waits, then sees every seat the first one claimed. Whether each seat is taken at ``now`` is
    worked out by the database (no timestamp to convert for every seat of the rows), and whose
    it is without joining every seat to its booking: a customer has at most one hold at a show
    (``earlier``), and only a sold wheelchair space asks for its booking (companion seats)."""
    verified_sql, verified_params = verification.verified_sql(user) if ask_verified else ("NULL", [])
    lock = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    asked_sql, asked_params = prepared.any_of("label", labels)
    with prepared.cursor() as cursor:
        cursor.execute(
            # The hold's state as a literal: a prepared statement's generic plan can then probe
            # the one-hold-per-customer partial index (WHERE state = 'held') for it.
            f"WITH earlier AS (SELECT id FROM {BOOKINGS} WHERE user_id = %s AND show_id = %s AND state = '{HELD}'{lock}), "
            f'asked AS (SELECT "row", "column" FROM {SEATS} WHERE show_id = %s AND {asked_sql}) '
            "SELECT DISTINCT s.label, s.state, (s.state = %s OR (s.state = %s AND s.held_until >= %s)), s.category, "
            "s.booking_id = (SELECT id FROM earlier), CASE WHEN s.wheelchair AND s.state = %s THEN EXISTS "
            f"(SELECT 1 FROM {BOOKINGS} b WHERE b.id = s.booking_id AND b.user_id = %s AND b.state = %s) END, "
            f's."row", s."column", s.wheelchair, s.companion, {verified_sql}, (SELECT id FROM earlier) '
            f'FROM asked a JOIN {SEATS} s ON s.show_id = %s AND s."row" = a."row" '
            f'AND s."column" BETWEEN a."column" - {NEAR} AND a."column" + {NEAR} ORDER BY s."row", s."column"',
            [user.pk, show.pk, show.pk, *asked_params, SeatState.SOLD, SeatState.HELD, now]
            + [SeatState.SOLD, user.pk, BookingState.CONFIRMED, *verified_params, show.pk],
        )
        found = cursor.fetchall()
    verified = bool(found[0][10]) if found and ask_verified else None
    earlier = found[0][11] if found else None
    make = _Seat._make
    seats = [make(row[:10]) for row in found]  # SQLite's 0/1 for the booleans read the same
    return seats, verified, earlier


def _check_request(user, show, labels: list[str], now, lock: bool = True) -> tuple[list[_Seat], int | None, bool]:
    """Refuse what can be refused from one read; returns the rows read, the customer's
    current hold (locked with ``lock``) and whether companion seats are still kept."""
    if not labels:
        raise BookingError(gettext("Choose at least one seat."))
    if not user.is_authenticated:
        raise NotVerified(gettext("Please verify your e-mail address before holding seats."))
    known = verification.remembered(user)
    seats, verified, earlier = _read_rows(user, show, labels, now, ask_verified=not known, lock=lock)
    if not known:
        # The read answered it for the price of an index probe; remembering it would cost a
        # cache write on every customer's first hold, where most customers hold once.
        if verified is None:  # no row came back to carry the answer: asked (and remembered) apart
            verified = verification.is_verified(user)
        if not verified:
            raise NotVerified(gettext("Please verify your e-mail address before holding seats."))
    check_show_open(show, now)
    if len(labels) > show.max_per_booking:
        raise BookingError(gettext("You can book at most %(max)s seats at a time.") % {"max": show.max_per_booking})
    asked = {seat.label: seat for seat in seats if seat.label in labels}
    unknown = [label for label in labels if label not in asked]
    if unknown:
        raise BookingError(
            gettext("There is no seat %(seats)s at this show.") % {"seats": ", ".join(unknown)}, unavailable=unknown
        )
    blocked = [label for label, seat in asked.items() if seat.state == SeatState.BLOCKED]
    if blocked:
        raise SeatsUnavailable(sorted(blocked))
    taken = [label for label, seat in asked.items() if seat.taken and not seat.mine]
    if taken:
        raise SeatsUnavailable(sorted(taken))
    release = companions.kept_until(show.starts_at, now)
    if release is not None:
        alone = companions.refused(seats, labels)
        if alone:
            raise companions.CompanionSeatKept(sorted(alone), alone, release)
    return seats, earlier, release is not None


def hold_seats(user, show, labels, now=None, age_confirmed: bool = False) -> HoldResult:
    """Hold these seats for the customer, replacing their earlier hold at this show.

    ``show`` is a ShowFacts or a ShowPage. ``age_confirmed``: the customer
    said they are 18 or older, needed for an A-rated film and recorded on the hold.
    """
    now = now or timezone.now()
    labels = normalise_labels(labels)
    for attempt in range(ATTEMPTS):
        try:
            seats, booking = _hold(user, show, labels, now, age_confirmed)
            break
        except (IntegrityError, DatabaseError):
            if attempt == ATTEMPTS - 1:
                raise
    category = {seat.label: seat.category for seat in seats}
    return HoldResult(
        booking=booking,
        warnings=_gaps_after_hold(seats, labels),
        categories=[category[label] for label in labels],
    )


def _hold(user, show, labels: list[str], now, age_confirmed: bool) -> tuple[list[_Seat], Booking]:
    """On PostgreSQL a customer's first hold at a show is one read and one statement, outside
    any transaction: a refusal (most attempts in a rush) costs the read alone, and the claim
    changes all or nothing by itself (``_first_hold``). A hold that replaces an earlier one
    is read again, locked, in a transaction (``_replace_hold``)."""
    if connection.vendor != "postgresql":
        return _replace_hold(user, show, labels, now, age_confirmed)
    seats, earlier, kept = _check_request(user, show, labels, now, lock=False)
    if earlier is not None:
        return _replace_hold(user, show, labels, now, age_confirmed)
    age = age_confirmation(show, user, age_confirmed, now)
    until = now + timedelta(minutes=settings.MARQUEE_HOLD_MINUTES)
    companion_sql, companion_params = companions.claim_sql("s", labels, user.pk) if kept else ("", [])
    # Inside a caller's transaction the statement gets a savepoint, so a lost race leaves
    # that transaction usable for the next attempt.
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        booking, claimable = _first_hold(user, show, labels, now, until, age, companion_sql, companion_params)
    if booking is None:
        _refuse_short_claim(show, seats, sorted(set(labels) - set(claimable)) or labels, kept)
    bump_seats(show.pk)
    return seats, booking


@transaction.atomic
def _replace_hold(user, show, labels: list[str], now, age_confirmed: bool) -> tuple[list[_Seat], Booking]:
    seats, earlier, kept = _check_request(user, show, labels, now)
    age = age_confirmation(show, user, age_confirmed, now)
    until = now + timedelta(minutes=settings.MARQUEE_HOLD_MINUTES)
    companion_sql, companion_params = companions.claim_sql(SEATS, labels, user.pk) if kept else ("", [])
    if connection.vendor == "postgresql":
        booking, claimed = _claim_in_one_statement(user, show, labels, now, until, earlier, age, companion_sql, companion_params)
    else:
        booking, claimed = _claim_step_by_step(user, show, labels, now, until, earlier, age, companion_sql, companion_params)
    if len(claimed) != len(labels):
        missing = sorted(set(labels) - set(claimed)) or labels
        _refuse_short_claim(show, seats, missing, kept)  # the atomic block rolls everything back
    bump_seats(show.pk)
    return seats, booking


def _refuse_short_claim(show, seats: list[_Seat], missing: list[str], kept: bool):
    """The claim came up short: companion seats it refused are named as kept, the rest as taken."""
    alone = {seat.label: [] for seat in seats if kept and seat.companion and seat.label in missing}
    if alone and len(alone) == len(missing):
        raise companions.CompanionSeatKept(sorted(alone), alone, companions.release_at(show.starts_at))
    raise SeatsUnavailable(missing)


def _claim_step_by_step(
    user, show, labels: list[str], now, until, earlier: int | None, age, companion_sql: str = "", companion_params=()
) -> tuple[Booking, list[str]]:
    if earlier is None:
        booking = Booking.objects.create(
            user=user, show_id=show.pk, held_until=until, seats=labels, age_confirmed_at=age[0], age_confirmed_by_id=age[1]
        )
    else:
        booking = Booking.objects.get(pk=earlier)
    asked_sql, asked_params = prepared.any_of("label", labels)
    with connection.cursor() as cursor:
        if earlier is not None:
            # Seats dropped from the hold go back on sale; seats kept stay held (re-claimed below).
            cursor.execute(
                f"UPDATE {SEATS} SET state = %s, booking_id = NULL, held_until = NULL "
                f"WHERE booking_id = %s AND state = %s AND NOT ({asked_sql})",
                [SeatState.AVAILABLE, booking.pk, SeatState.HELD, *asked_params],
            )
        cursor.execute(
            f"UPDATE {SEATS} SET state = %s, booking_id = %s, held_until = %s "
            f"WHERE show_id = %s AND {asked_sql} "
            f"AND (state = %s OR (state = %s AND (held_until < %s OR booking_id = %s))) {companion_sql} RETURNING label",
            [
                SeatState.HELD,
                booking.pk,
                until,
                show.pk,
                *asked_params,
                SeatState.AVAILABLE,
                SeatState.HELD,
                now,
                booking.pk,
                *companion_params,
            ],
        )
        claimed = [label for (label,) in cursor.fetchall()]
    if earlier is not None and len(claimed) == len(labels):
        booking.seats = labels
        booking.held_until = until
        booking.age_confirmed_at, booking.age_confirmed_by_id = age
        booking.save(update_fields=["seats", "held_until", "age_confirmed_at", "age_confirmed_by", "updated_at"])
    return booking, claimed


def _claim_in_one_statement(
    user, show, labels: list[str], now, until, earlier: int | None, age, companion_sql: str = "", companion_params=()
) -> tuple[Booking, list[str]]:
    """PostgreSQL, the customer's hold already locked (or none): update it or insert a new one
    (with its reference-index rows, as Wagtail would write them), free the seats dropped from
    it and claim the asked ones, in one statement. Returns the hold and the labels the
    conditional UPDATE claimed."""
    every = every_column(Booking)
    claim = (
        f"claimed AS (UPDATE {SEATS} SET state = %s, booking_id = (SELECT id FROM hold), held_until = %s "
        "WHERE show_id = %s AND label = ANY(%s) "
        f"AND (state = %s OR (state = %s AND (held_until < %s OR booking_id = %s))) {companion_sql} RETURNING label) "
        f"SELECT {every}, ARRAY(SELECT label FROM claimed) FROM hold"
    )
    claim_params = [SeatState.HELD, until, show.pk, labels, SeatState.AVAILABLE, SeatState.HELD, now, earlier, *companion_params]
    if earlier is not None:
        seats_field = Booking._meta.get_field("seats")
        sql = (
            f"WITH hold AS (UPDATE {BOOKINGS} SET seats = %s, held_until = %s, updated_at = %s, "
            f"age_confirmed_at = %s, age_confirmed_by_id = %s WHERE id = %s RETURNING {every}), "
            f"freed AS (UPDATE {SEATS} SET state = %s, booking_id = NULL, held_until = NULL "
            "WHERE booking_id = %s AND state = %s AND NOT (label = ANY(%s))), " + claim
        )
        params = [seats_field.get_db_prep_save(labels, connection), until, now, *age, earlier]
        params += [SeatState.AVAILABLE, earlier, SeatState.HELD, labels, *claim_params]
    else:
        insert, insert_params = _new_hold(user, show, labels, until, age)
        sql = f"WITH {insert}" + claim
        params = [*insert_params, *claim_params]
    with prepared.cursor() as cursor:
        cursor.execute(sql, params)
        *row, claimed = cursor.fetchone()
    return from_row(Booking, row), list(claimed)


def _first_hold(
    user, show, labels: list[str], now, until, age, companion_sql: str = "", companion_params=()
) -> tuple[Booking | None, list[str]]:
    """PostgreSQL, the customer holding nothing at this show: in one statement, lock the asked
    seats that are free (FOR UPDATE re-checks a seat another hold changed meanwhile, once that
    hold commits), and only if every one is, insert the hold (with its reference-index rows)
    and claim them. Returns the hold, or None and the labels that were free: the statement
    then changed nothing. A second tab's first hold at the same moment fails the one-hold
    unique constraint, and the attempt is made again (``hold_seats``)."""
    insert, insert_params = _new_hold(user, show, labels, until, age, where=" WHERE (SELECT yes FROM every_free)")
    sql = (
        f"WITH free AS (SELECT s.id, s.label FROM {SEATS} s WHERE s.show_id = %s AND s.label = ANY(%s) "
        f"AND (s.state = %s OR (s.state = %s AND s.held_until < %s)) {companion_sql} FOR UPDATE OF s), "
        "every_free AS (SELECT count(*) = %s AS yes FROM free), "
        f"{insert}claimed AS (UPDATE {SEATS} SET state = %s, booking_id = (SELECT id FROM hold), held_until = %s "
        "WHERE id IN (SELECT id FROM free) AND (SELECT yes FROM every_free) RETURNING label) "
        f"SELECT ARRAY(SELECT label FROM free), ARRAY(SELECT label FROM claimed), {every_column(Booking, 'hold.')} "
        "FROM (SELECT 1) AS one LEFT JOIN hold ON true"
    )
    params = [show.pk, labels, SeatState.AVAILABLE, SeatState.HELD, now, *companion_params, len(labels)]
    params += [*insert_params, SeatState.HELD, until]
    with prepared.cursor() as cursor:
        cursor.execute(sql, params)
        free, claimed, *row = cursor.fetchone()
    if row[0] is None:
        return None, list(free)
    return from_row(Booking, row), list(claimed)


def _new_hold(user, show, labels: list[str], until, age, where: str = "") -> tuple[str, list]:
    """The CTEs inserting a new hold (``hold``, returning every column; ``where``: a condition
    on the insert) and its reference-index rows, each followed by a comma, with their parameters."""
    fresh = Booking(
        user=user, show_id=show.pk, held_until=until, seats=labels, age_confirmed_at=age[0], age_confirmed_by_id=age[1]
    )
    columns, casts, values = insert_parts(fresh)
    references, reference_params = _reference_rows(fresh)
    sql = f"hold AS (INSERT INTO {BOOKINGS} ({columns}) SELECT {casts}{where} RETURNING {every_column(Booking)}), {references}"
    return sql, [*values, *reference_params]


def _reference_rows(fresh: Booking) -> tuple[str, list]:
    """The reference-index rows Wagtail writes for a new booking (its links: the customer, a
    promo code), as a CTE inserting them for the booking just made; nothing when Wagtail does
    not index bookings."""
    if not ReferenceIndex.is_indexed(Booking):
        return "", []
    found = sorted(set(ReferenceIndex._extract_references_from_object(fresh)))
    if not found:
        return "", []
    content_type = ContentType.objects.get_for_model(Booking, for_concrete_model=False)
    base = ReferenceIndex._get_base_content_type(Booking)
    table = ReferenceIndex._meta.db_table
    rows = ", ".join(["(%s::integer, %s::text, %s::text, %s::text, %s::uuid)"] * len(found))
    params = [content_type.pk, base.pk]
    for to_content_type_id, to_object_id, model_path, content_path in found:
        params += [to_content_type_id, to_object_id, model_path, content_path, _path_hash(content_path)]
    sql = (
        f"refs AS (INSERT INTO {table} (content_type_id, base_content_type_id, object_id, to_content_type_id, "
        "to_object_id, model_path, content_path, content_path_hash) "
        "SELECT %s, %s, hold.id::text, r.ct, r.id, r.model_path, r.content_path, r.hash "
        f"FROM hold, (VALUES {rows}) AS r(ct, id, model_path, content_path, hash) ON CONFLICT DO NOTHING), "
    )
    return sql, params


@lru_cache(maxsize=64)
def _path_hash(content_path: str) -> str:
    """Wagtail's hash of a reference's content path (a UUID5: the same few paths every hold)."""
    return str(ReferenceIndex._get_content_path_hash(content_path))


def _gaps_after_hold(seats: list[_Seat], labels: list[str]) -> list[str]:
    """The single-seat warning from the seats read before the claim, as they stand after it:
    the asked seats are ours, the seats our earlier hold dropped are free again."""
    asked = set(labels)
    after = []
    for seat in seats:
        if seat.label in asked:
            taken = True
        elif seat.mine and seat.state == SeatState.HELD:
            taken = False  # dropped from the hold just replaced
        else:
            taken = seat.taken
        after.append((seat.row, seat.column, seat.label, seat.state, taken))
    return _gaps(after, labels)


def _gaps(seats, labels: list[str]) -> list[str]:
    """``seats``: (row, column, label, state, taken) of the asked seats' rows (whole, or at
    least two places either side of each asked seat), in seat order."""
    taken = {(row, column) for row, column, _, _, is_taken in seats if is_taken}
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


def expire_holds(now=None) -> tuple[int, int]:
    """Close the holds past their time: one UPDATE marks their bookings expired. Returns
    (the seats those holds had, the bookings expired).

    The seat rows are left as they are. A lapsed hold already reads as free to every reader
    (public_state; the hold's and the finalizer's conditional UPDATEs, which claim a `held`
    seat whose held_until has passed; inventory sync; the reports), and the next hold or sale
    of a seat overwrites its row. Rewriting them told no reader anything and cost over a
    second of heap and WAL for 100,000 seats (docs/performance.md). The commit does not wait
    for the WAL flush on PostgreSQL: a sweep lost in a crash is simply done by the next run.
    Bumps no seat version: nothing any customer sees changes."""
    now = now or timezone.now()
    lapsed = Booking.objects.filter(state=BookingState.HELD, held_until__lt=now)
    with transaction.atomic():
        if connection.vendor != "postgresql":  # SQLite: one writer at a time, so read, then write
            held = list(lapsed.values_list("seats", flat=True))
            lapsed.update(state=BookingState.EXPIRED, updated_at=now)
            return sum(len(labels) for labels in held), len(held)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(
                f"UPDATE {BOOKINGS} SET state = %s, updated_at = %s WHERE state = %s AND held_until < %s RETURNING seats",
                [BookingState.EXPIRED, now, BookingState.HELD, now],
            )
            held = [json.loads(value) if isinstance(value, str) else value for (value,) in cursor.fetchall()]
    return sum(len(labels) for labels in held), len(held)


def claim_for_sale(booking, labels: list[str], now) -> list[str]:
    """Claim seats for a booking sold on the spot (the box office counter) with the hold's
    conditional UPDATE: a free seat, or a held one whose hold has lapsed, becomes this booking's
    until ``booking.held_until``. Runs in the caller's transaction; returns the labels claimed
    (the row count decides: the caller rolls back when one is missing)."""
    asked_sql, asked_params = prepared.any_of("label", labels)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SEATS} SET state = %s, booking_id = %s, held_until = %s "
            f"WHERE show_id = %s AND {asked_sql} "
            "AND (state = %s OR (state = %s AND held_until < %s)) RETURNING label",
            [SeatState.HELD, booking.pk, booking.held_until, booking.show_id, *asked_params]
            + [SeatState.AVAILABLE, SeatState.HELD, now],
        )
        return [label for (label,) in cursor.fetchall()]
