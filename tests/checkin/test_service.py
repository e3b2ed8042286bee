"""check_in(): every result, the order of the checks, code normalisation, the single
conditional UPDATE, the audit log and the guessing guard."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.checkin.conftest import confirmed_booking
from tests.factories import make_customer, make_show
from ticketing.errors import RateLimited
from ticketing.models import Booking, BookingState, Ticket
from ticketing.services.checkin import check_in, customer_name, normalise_code, ticket_details

pytestmark = pytest.mark.django_db


def test_a_valid_ticket_is_admitted_once(ticket, doorman, clock):
    first = check_in(ticket.code, by=doorman)
    assert first.result == "admitted" and first.admitted
    assert first.message == "Seat A1"
    ticket.refresh_from_db()
    assert ticket.used_at == first.used_at == timezone.now()
    assert ticket.used_by == doorman

    clock.shift(timedelta(minutes=7))
    again = check_in(ticket.code, by=doorman)
    assert again.result == "already_used"
    assert again.used_at == first.used_at  # the first admission's time, not now
    assert again.message == "Already used at 10:00 am"
    assert Ticket.objects.get(pk=ticket.pk).used_at == first.used_at


def test_already_used_on_another_day_names_the_day(ticket, doorman, clock):
    check_in(ticket.code, by=doorman)
    clock.shift(timedelta(days=1))
    assert check_in(ticket.code, by=doorman).message == "Already used at Fri 20 Nov 2026, 10:00 am"


def test_each_seat_has_its_own_ticket(booking, doorman):
    a1, a2 = booking.tickets.order_by("seat_label")
    assert check_in(a1.code, by=doorman).result == "admitted"
    assert check_in(a2.code, by=doorman).result == "admitted"


def test_unknown_code_is_invalid(db, doorman, ticket):
    result = check_in("ABCDEFGHJKLMNPQR", by=doorman)
    assert (result.result, result.ticket, result.used_at) == ("invalid", None, None)
    assert result.message == "No ticket with this code"


@pytest.mark.parametrize("junk", ["", "   ", "abc", "X" * 10_000, "ABCD\x00EFGHJKLMNPQ", "ÄBCDEFGHJKLMNPQR", "0BCDEFGHJKLMNPQR"])
def test_junk_is_invalid_without_a_query(db, doorman, junk):
    with CaptureQueriesContext(connection) as queries:
        assert check_in(junk, by=doorman).result == "invalid"
    assert not queries.captured_queries


@pytest.mark.parametrize("typed", ["{}", "{} ", " {}", "{lower}", "{dashed}", "{spaced}", "{mixed}"])
def test_codes_are_normalised(ticket, doorman, typed):
    code = ticket.code
    variants = {
        "lower": code.lower(),
        "dashed": "-".join(code[i : i + 4] for i in range(0, 16, 4)),
        "spaced": " ".join(code[i : i + 4] for i in range(0, 16, 4)),
        "mixed": f" {code[:4].lower()}- {code[4:8]}\t{code[8:12].lower()} -{code[12:]}\n",
    }
    assert check_in(typed.format(code, **variants), by=doorman).result == "admitted"


def test_normalise_code():
    assert normalise_code(" abcd-efgh jklm\tnpqr ") == "ABCDEFGHJKLMNPQR"
    assert normalise_code("") == ""


@pytest.mark.parametrize("state", [BookingState.CANCELLED, BookingState.REFUNDED, BookingState.EXPIRED])
def test_a_ticket_of_a_booking_no_longer_confirmed_is_refused(ticket, doorman, state):
    Booking.objects.filter(pk=ticket.booking_id).update(state=state)
    result = check_in(ticket.code, by=doorman)
    assert result.result == "cancelled"
    assert result.message == f"Booking {state.label.lower()}: do not admit"
    assert result.ticket.pk == ticket.pk
    assert Ticket.objects.get(pk=ticket.pk).used_at is None


def test_cancelled_wins_over_wrong_show(ticket, doorman):
    Booking.objects.filter(pk=ticket.booking_id).update(state=BookingState.CANCELLED)
    assert check_in(ticket.code, by=doorman, show_id=ticket.show_id + 1000).result == "cancelled"


def test_cancelled_wins_over_already_used(ticket, doorman):
    check_in(ticket.code, by=doorman)
    Booking.objects.filter(pk=ticket.booking_id).update(state=BookingState.REFUNDED)
    assert check_in(ticket.code, by=doorman).result == "cancelled"


def test_a_ticket_for_another_show_is_refused_and_not_admitted(ticket, doorman, movie):
    other = make_show(movie=movie, starts_at=ticket.show.starts_at + timedelta(hours=4), screen=ticket.show.screen)
    result = check_in(ticket.code, by=doorman, show_id=other.pk)
    assert result.result == "wrong_show"
    assert result.message == "Wrong show: this ticket is for Sat 21 Nov 2026, 6:00 pm"
    assert Ticket.objects.get(pk=ticket.pk).used_at is None
    # At the right door it still admits.
    assert check_in(ticket.code, by=doorman, show_id=ticket.show_id).result == "admitted"


def test_wrong_show_wins_over_already_used(ticket, doorman):
    check_in(ticket.code, by=doorman)
    assert check_in(ticket.code, by=doorman, show_id=ticket.show_id + 1).result == "wrong_show"


def test_admission_is_one_conditional_update_on_the_ticket_itself(ticket, doorman):
    """The UPDATE must match `used_at IS NULL` on the row it changes, not inside a subquery
    (Django rewrites an UPDATE with a join into `id IN (SELECT …)`; PostgreSQL would then
    re-check a concurrent admission against an old snapshot)."""
    with CaptureQueriesContext(connection) as queries:
        check_in(ticket.code, by=doorman)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    outer, subqueries = split_subqueries(updates[0])
    assert outer.startswith('UPDATE "ticketing_ticket" SET')
    assert '"ticketing_ticket"."used_at" IS NULL' in outer
    assert '"ticketing_ticket"."id" = ' in outer
    assert all("ticketing_ticket" not in sub for sub in subqueries)  # the booking's state only
    assert "JOIN" not in updates[0]


def split_subqueries(sql: str) -> tuple[str, list[str]]:
    """The statement without its parenthesised SELECTs, and those SELECTs."""
    subqueries = []
    while (start := sql.find("(SELECT")) != -1:
        depth, end = 0, start
        for end in range(start, len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            if depth == 0:
                break
        subqueries.append(sql[start : end + 1])
        sql = sql[:start] + "(…)" + sql[end + 1 :]
    return sql, subqueries


def test_admission_is_written_to_the_audit_log(ticket, doorman):
    check_in(ticket.code, by=doorman)
    entry = ModelLogEntry.objects.get(action="ticket.check_in")
    assert entry.object_id == str(ticket.pk)
    assert entry.user_id == doorman.pk
    assert entry.label == f"{ticket.booking.reference} · A1"
    assert ticket.code not in entry.label  # the log never lists codes
    assert entry.data == {"booking": ticket.booking.reference, "seat": "A1", "show": ticket.show_id}
    check_in(ticket.code, by=doorman)  # a refusal is not an admission
    assert ModelLogEntry.objects.filter(action="ticket.check_in").count() == 1


def test_admission_costs_few_queries(booking, doorman):
    """One read, the UPDATE and the audit-log INSERT (plus the log's two primary-key checks)."""
    a1, a2 = booking.tickets.order_by("seat_label")
    check_in(a2.code, by=doorman)  # warms the content-type cache, as a running server has
    with CaptureQueriesContext(connection) as queries:
        check_in(a1.code, by=doorman)
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert [sql.split()[0] for sql in statements] == ["SELECT", "UPDATE", "SELECT", "SELECT", "INSERT"], statements


# --- guessing guard -----------------------------------------------------------------------------


def test_too_many_unknown_codes_in_a_minute_are_refused(ticket, doorman, settings, clock):
    settings.MARQUEE_CHECKIN_INVALID_RATE = 3
    for _ in range(3):
        assert check_in("ZZZZZZZZZZZZZZZZ", by=doorman).result == "invalid"
    with pytest.raises(RateLimited) as refused:
        check_in("ZZZZZZZZZZZZZZZZ", by=doorman)
    assert refused.value.status == 429
    with pytest.raises(RateLimited):  # even a real code: hits must not be told from misses
        check_in(ticket.code, by=doorman)
    assert Ticket.objects.get(pk=ticket.pk).used_at is None
    clock.shift(timedelta(minutes=1))
    assert check_in(ticket.code, by=doorman).result == "admitted"


def test_the_guard_counts_per_user_and_only_unknown_codes(ticket, doorman, settings):
    settings.MARQUEE_CHECKIN_INVALID_RATE = 2
    other = make_customer(username="other-door")
    check_in("ZZZZZZZZZZZZZZZZ", by=doorman)
    check_in(ticket.code, by=doorman)
    for _ in range(3):
        assert check_in(ticket.code, by=doorman).result == "already_used"
    check_in("ZZZZZZZZZZZZZZZZ", by=doorman)
    with pytest.raises(RateLimited):
        check_in("ZZZZZZZZZZZZZZZZ", by=doorman)
    assert check_in("ZZZZZZZZZZZZZZZZ", by=other).result == "invalid"


def test_zero_disables_the_guard(db, doorman, settings):
    settings.MARQUEE_CHECKIN_INVALID_RATE = 0
    assert {check_in("nope", by=doorman).result for _ in range(40)} == {"invalid"}


# --- what the door sees --------------------------------------------------------------------------


def test_ticket_details(ticket):
    details = ticket_details(ticket)
    assert details == {
        "code": ticket.code,
        "seat": "A1",
        "category": "Classic",
        "booking": ticket.booking.reference,
        "customer": "Alice",
        "show": ticket.show_id,
        "movie": "Dune",
        "certification": "UA",
        "starts_at": "2026-11-21T18:00:00+05:30",
        "theater": ticket.show.screen.theater.title,
        "screen": "Screen 1",
    }


def test_customer_without_a_first_name_is_shown_by_a_masked_email(db, show):
    bob = make_customer(username="bob", email="bob.smith@example.com")
    assert customer_name(bob) == "b***@example.com"
    booking = confirmed_booking(bob, show, seats=["B1"])
    assert ticket_details(booking.tickets.get())["customer"] == "b***@example.com"
