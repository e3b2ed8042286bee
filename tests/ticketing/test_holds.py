"""Seat holds: one conditional UPDATE claims the seats, a re-hold replaces the hold, and every
refusal leaves the inventory exactly as it was (docs/DESIGN.md §3)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cinema.models import ShowPage
from tests.factories import local_dt, make_customer, make_layout, make_screen, make_show, row
from ticketing.errors import BookingError, NotVerified, SeatsUnavailable, ShowClosed
from ticketing.models import Booking, BookingState, SeatState, ShowSeat
from ticketing.services.holds import _gaps, hold_seats, release_hold

pytestmark = pytest.mark.django_db


def inventory(show) -> dict[str, tuple]:
    """Every seat's (state, booking id, held_until): a refusal must leave this untouched."""
    return {
        label: (state, booking, until)
        for label, state, booking, until in ShowSeat.objects.filter(show=show).values_list(
            "label", "state", "booking_id", "held_until"
        )
    }


def held_by(show, booking) -> list[str]:
    return sorted(
        ShowSeat.objects.filter(show=show, booking=booking, state=SeatState.HELD).values_list("label", flat=True),
        key=lambda label: (label[0], int(label[1:])),
    )


def refresh(show) -> ShowPage:
    return ShowPage.objects.get(pk=show.pk)


# --- a hold --------------------------------------------------------------------------------


def test_hold_claims_the_seats_for_ten_minutes(show, alice):
    result = hold_seats(alice, show, ["A1", "A2"])
    booking = result.booking
    assert booking.state == BookingState.HELD
    assert booking.user == alice and booking.show_id == show.pk
    assert booking.seats == ["A1", "A2"]
    assert booking.held_until == timezone.now() + timedelta(minutes=10)
    assert held_by(show, booking) == ["A1", "A2"]
    assert set(ShowSeat.objects.filter(show=show, label__in=["A1", "A2"]).values_list("held_until", flat=True)) == {
        booking.held_until
    }
    assert result.warnings == []
    assert ShowSeat.objects.filter(show=show, state=SeatState.AVAILABLE).count() == 18


def test_hold_minutes_come_from_the_setting(show, alice, settings):
    settings.MARQUEE_HOLD_MINUTES = 3
    booking = hold_seats(alice, show, ["A1"]).booking
    assert booking.held_until == timezone.now() + timedelta(minutes=3)


def test_labels_are_tidied_before_claiming(show, alice):
    booking = hold_seats(alice, show, [" a1", "A1", "b2 "]).booking
    assert booking.seats == ["A1", "B2"]
    assert held_by(show, booking) == ["A1", "B2"]


def test_references_are_random_not_sequential(show, alice, bob):
    first = hold_seats(alice, show, ["A1"]).booking.reference
    second = hold_seats(bob, show, ["A2"]).booking.reference
    assert first != second
    for reference in (first, second):
        assert reference.startswith("MQ") and len(reference) == 10
        assert not set(reference[2:]) & set("01IO")


def seat_writes(queries) -> list[str]:
    """Statements that write seats: on PostgreSQL one statement frees and claims (a CTE)."""
    statements = [q["sql"].replace('"', "") for q in queries]
    if connection.vendor == "postgresql":
        return [sql for sql in statements if "UPDATE ticketing_showseat" in sql]
    return [sql for sql in statements if sql.startswith("UPDATE ticketing_showseat")]


def test_a_hold_costs_the_same_queries_for_one_seat_or_ten(movie, alice, bob):
    """One conditional UPDATE, no loop over seats: the query count does not grow with them."""
    show = make_show(movie=movie, screen=make_screen(seat_layout=make_layout(rows=[row("A", 20)])))
    counts = []
    for user, labels in ((alice, ["A1"]), (bob, [f"A{n}" for n in range(5, 15)])):
        with CaptureQueriesContext(connection) as queries:
            hold_seats(user, refresh(show), labels)
        counts.append(len(queries))
        assert len(seat_writes(queries)) == 1  # a first hold: one conditional UPDATE claims every seat
    assert counts[0] == counts[1]
    with CaptureQueriesContext(connection) as queries:
        hold_seats(alice, refresh(show), ["A2", "A3", "A4"])  # replaces alice's hold on A1
    writes = seat_writes(queries)
    if connection.vendor == "postgresql":
        assert len(writes) == 1 and writes[0].count("UPDATE ticketing_showseat") == 2  # free the dropped, claim
    else:
        assert len(writes) == 2  # free the seats dropped from the earlier hold, then claim
    assert held_by(show, Booking.objects.get(user=alice, show=show, state="held")) == ["A2", "A3", "A4"]
    assert ShowSeat.objects.get(show=show, label="A1").state == SeatState.AVAILABLE


# --- conflicts -----------------------------------------------------------------------------


def test_a_seat_held_by_someone_else_is_refused_and_named(show, alice, bob):
    mine = hold_seats(alice, show, ["A1", "A2"]).booking
    before = inventory(show)
    with pytest.raises(SeatsUnavailable) as refused:
        hold_seats(bob, show, ["A2", "A3"])
    assert refused.value.status == 409
    assert refused.value.labels == ["A2"]
    assert refused.value.extra == {"unavailable": ["A2"]}
    assert refused.value.message == "Sorry, A2 was just taken. Pick other seats."
    assert inventory(show) == before
    assert held_by(show, mine) == ["A1", "A2"]
    assert not Booking.objects.filter(user=bob).exists()


def test_every_taken_seat_is_named(show, alice, bob):
    hold_seats(alice, show, ["A1", "A2"])
    ShowSeat.objects.filter(show=show, label="B5").update(state=SeatState.SOLD)
    with pytest.raises(SeatsUnavailable) as refused:
        hold_seats(bob, show, ["B5", "A3", "A1", "A2"])
    assert refused.value.labels == ["A1", "A2", "B5"]
    assert refused.value.message == "Sorry, A1, A2, B5 were just taken. Pick other seats."


def test_sold_seats_cannot_be_held(show, alice):
    ShowSeat.objects.filter(show=show, label="A5").update(state=SeatState.SOLD)
    with pytest.raises(SeatsUnavailable) as refused:
        hold_seats(alice, show, ["A5"])
    assert refused.value.labels == ["A5"]
    assert ShowSeat.objects.get(show=show, label="A5").state == SeatState.SOLD


def test_a_partial_conflict_rolls_back_everything(show, alice, bob):
    """The free seats of a refused request are not kept, and no booking is left behind."""
    hold_seats(alice, show, ["A5"])
    before = inventory(show)
    with pytest.raises(SeatsUnavailable):
        hold_seats(bob, show, ["A3", "A4", "A5", "A6"])
    assert inventory(show) == before
    assert Booking.objects.filter(user=bob).count() == 0


def test_a_refused_re_hold_keeps_the_earlier_hold_as_it_was(show, alice, bob):
    """Replacing A1 A2 by A2 A3 A4 fails on A4: A1 is not freed, nothing moves, the hold's
    seats and time are unchanged."""
    hold_seats(bob, show, ["A4"])
    mine = hold_seats(alice, show, ["A1", "A2"]).booking
    before = inventory(show)
    with pytest.raises(SeatsUnavailable) as refused:
        hold_seats(alice, show, ["A2", "A3", "A4"])
    assert refused.value.labels == ["A4"]
    assert inventory(show) == before
    mine.refresh_from_db()
    assert (mine.state, mine.seats) == (BookingState.HELD, ["A1", "A2"])
    assert Booking.objects.filter(user=alice).count() == 1


# --- replacing a hold ----------------------------------------------------------------------


def test_a_new_hold_replaces_the_earlier_one(show, alice, clock):
    first = hold_seats(alice, show, ["A1", "A2", "A3"]).booking
    clock.shift(timedelta(minutes=4))
    second = hold_seats(alice, show, ["A2", "A3", "A4"]).booking
    assert second.pk == first.pk and second.reference == first.reference
    assert second.seats == ["A2", "A3", "A4"]
    assert second.held_until == timezone.now() + timedelta(minutes=10)
    assert held_by(show, second) == ["A2", "A3", "A4"]
    a1 = ShowSeat.objects.get(show=show, label="A1")
    assert (a1.state, a1.booking_id, a1.held_until) == (SeatState.AVAILABLE, None, None)
    # The seats kept and the new one share the new time.
    assert set(ShowSeat.objects.filter(booking=second).values_list("held_until", flat=True)) == {second.held_until}
    assert Booking.objects.filter(user=alice, show=show, state=BookingState.HELD).count() == 1


def test_a_dropped_seat_is_free_for_others_at_once(show, alice, bob):
    hold_seats(alice, show, ["A1", "A2"])
    hold_seats(alice, show, ["A2"])
    assert held_by(show, hold_seats(bob, show, ["A1"]).booking) == ["A1"]


def test_holds_at_two_shows_are_separate(show, movie, alice):
    other = make_show(movie=movie, screen=show.screen, starts_at=show.starts_at + timedelta(days=1))
    here = hold_seats(alice, show, ["A1"]).booking
    there = hold_seats(alice, other, ["A1"]).booking
    assert here.pk != there.pk
    assert held_by(show, here) == ["A1"] and held_by(other, there) == ["A1"]


def test_the_database_allows_one_hold_per_customer_and_show(show, alice):
    from django.db import IntegrityError, transaction

    hold_seats(alice, show, ["A1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(user=alice, show=show, seats=["A2"])


# --- refusals ------------------------------------------------------------------------------


def test_unknown_seats_are_refused(show, alice):
    before = inventory(show)
    with pytest.raises(BookingError) as refused:
        hold_seats(alice, show, ["A1", "Z9", "A11"])
    assert refused.value.status == 400
    assert refused.value.message == "There is no seat Z9, A11 at this show."
    assert refused.value.extra == {"unavailable": ["Z9", "A11"]}
    assert inventory(show) == before


@pytest.mark.parametrize(
    "labels, message",
    [
        ([], "Choose at least one seat."),
        ("A1", 'Send the seats as a list of labels, for example ["A1", "A2"].'),
        ([1], "“1” is not a seat label like A1."),
        (["  "], "“  ” is not a seat label like A1."),
        (["A123456789"], "“A123456789” is not a seat label like A1."),
    ],
)
def test_malformed_labels_are_refused(show, alice, labels, message):
    with pytest.raises(BookingError) as refused:
        hold_seats(alice, show, labels)
    assert refused.value.message == message
    assert not Booking.objects.exists()


def test_blocked_seats_cannot_be_held(movie, alice):
    layout = make_layout(rows=[row("A", 6, blocked="3")])
    show = make_show(movie=movie, screen=make_screen(seat_layout=layout))
    before = inventory(show)
    with pytest.raises(SeatsUnavailable) as refused:
        hold_seats(alice, show, ["A2", "A3"])
    assert refused.value.labels == ["A3"]
    assert inventory(show) == before
    assert ShowSeat.objects.get(show=show, label="A3").state == SeatState.BLOCKED


def test_no_more_than_the_shows_maximum_per_booking(show, alice):
    ShowPage.objects.filter(pk=show.pk).update(max_per_booking=4)
    show = refresh(show)
    with pytest.raises(BookingError) as refused:
        hold_seats(alice, show, ["A1", "A2", "A3", "A4", "A5"])
    assert refused.value.message == "You can book at most 4 seats at a time."
    assert not Booking.objects.exists()
    assert len(hold_seats(alice, show, ["A1", "A2", "A3", "A4"]).booking.seats) == 4


def test_the_default_maximum_is_ten(show, alice):
    with pytest.raises(BookingError, match="at most 10 seats"):
        hold_seats(alice, show, [f"A{n}" for n in range(1, 11)] + ["B1"])


@pytest.mark.parametrize(
    "change, message",
    [
        ({"status": "cancelled"}, "This show has been cancelled."),
        ({"status": "sold_out"}, "This show is sold out."),
        ({"live": False}, "This show is not on sale."),
        ({"booking_opens_at": local_dt(2026, 11, 21, 9)}, "Booking opens 21 Nov at 09:00."),
        ({"booking_closes_at": local_dt(2026, 11, 20, 9, 30)}, "Booking for this show has closed."),
        ({"booking_closes_at": local_dt(2026, 11, 20, 10)}, "Booking for this show has closed."),
    ],
)
def test_closed_shows_refuse_holds(show, alice, change, message):
    ShowPage.objects.filter(pk=show.pk).update(**change)
    before = inventory(show)
    with pytest.raises(ShowClosed) as refused:
        hold_seats(alice, refresh(show), ["A1"])
    assert refused.value.message == message
    assert refused.value.status == 400
    assert inventory(show) == before
    assert not Booking.objects.exists()


def test_booking_opens_at_its_time(show, alice, clock):
    opens = local_dt(2026, 11, 20, 12)
    ShowPage.objects.filter(pk=show.pk).update(booking_opens_at=opens)
    with pytest.raises(ShowClosed):
        hold_seats(alice, refresh(show), ["A1"])
    clock.move_to(opens)
    assert hold_seats(alice, refresh(show), ["A1"]).booking.seats == ["A1"]


def test_a_show_that_has_started_refuses_holds(show, alice, clock):
    clock.move_to(show.starts_at - timedelta(seconds=1))
    hold_seats(alice, show, ["A1"])
    clock.move_to(show.starts_at)
    with pytest.raises(ShowClosed) as refused:
        hold_seats(alice, show, ["A2"])
    assert refused.value.message == "This show has already started."


def test_an_unverified_customer_cannot_hold(show):
    unverified = make_customer(verified=False, username="carol")
    with pytest.raises(NotVerified) as refused:
        hold_seats(unverified, show, ["A1"])
    assert refused.value.status == 403
    assert refused.value.message == "Please verify your e-mail address before holding seats."
    assert not ShowSeat.objects.filter(show=show).exclude(state=SeatState.AVAILABLE).exists()


def test_a_user_without_any_e_mail_record_or_signed_out_cannot_hold(show, django_user_model):
    plain = django_user_model.objects.create_user("dave", "dave@example.com", "pass")
    for user in (plain, AnonymousUser()):
        with pytest.raises(NotVerified):
            hold_seats(user, show, ["A1"])
    assert not Booking.objects.exists()


# --- releasing -----------------------------------------------------------------------------


def test_release_frees_the_seats_and_ends_the_hold(show, alice, bob):
    booking = hold_seats(alice, show, ["A1", "A2"]).booking
    released = release_hold(booking)
    assert released.state == BookingState.EXPIRED
    assert released.seats == ["A1", "A2"]  # kept for the history
    assert not ShowSeat.objects.filter(show=show, state=SeatState.HELD).exists()
    assert release_hold(booking).state == BookingState.EXPIRED  # again: nothing changes
    assert held_by(show, hold_seats(bob, show, ["A1"]).booking) == ["A1"]
    # Alice can hold again: a new booking, since the old one has ended.
    again = hold_seats(alice, show, ["A2"]).booking
    assert again.pk != booking.pk


def test_release_leaves_a_booking_in_payment_alone(show, alice):
    booking = hold_seats(alice, show, ["A1"]).booking
    Booking.objects.filter(pk=booking.pk).update(state=BookingState.PAYMENT_PENDING)
    assert release_hold(booking).state == BookingState.PAYMENT_PENDING
    assert ShowSeat.objects.get(show=show, label="A1").booking_id == booking.pk


# --- single-seat gaps ----------------------------------------------------------------------


def test_leaving_a_single_empty_seat_is_allowed_but_flagged(show, alice, bob):
    hold_seats(bob, show, ["A1"])
    result = hold_seats(alice, show, ["A3", "A4"])
    assert held_by(show, result.booking) == ["A3", "A4"]
    assert result.warnings == ["Seat A2 is left as a single empty seat between taken seats."]


def test_a_gap_next_to_a_sold_seat_is_flagged_too(show, alice):
    ShowSeat.objects.filter(show=show, label="B6").update(state=SeatState.SOLD)
    assert hold_seats(alice, show, ["B4"]).warnings == ["Seat B5 is left as a single empty seat between taken seats."]


def test_no_warning_without_a_single_gap(show, alice, bob):
    hold_seats(bob, show, ["A1"])
    assert hold_seats(alice, show, ["A2", "A3"]).warnings == []
    assert hold_seats(alice, show, ["A5", "A6"]).warnings == []  # two empty seats, A3 A4, is fine


def test_a_gap_between_other_customers_is_not_this_holds_concern(show, alice, bob):
    hold_seats(bob, show, ["A1", "A3"])  # bob's own gap
    assert hold_seats(alice, show, ["B1"]).warnings == []


def test_the_hold_reads_the_asked_seats_and_two_either_side(movie, alice):
    """Everything the warning and the companion rule look at, not the whole row."""
    from ticketing.services.holds import _read_rows

    show = make_show(movie=movie, screen=make_screen(seat_layout=make_layout(rows=[row("A", 20), row("B", 20)])))
    seats, _, _ = _read_rows(alice, show, ["A10", "A11", "B1"], timezone.now(), ask_verified=False, lock=False)
    assert [seat.label for seat in seats] == ["A8", "A9", "A10", "A11", "A12", "A13", "B1", "B2", "B3"]


def single_seat_gaps(show, labels):
    """The single-seat warning worked out afresh from the asked seats' whole rows, as they stand
    now: what the hold's own warning (from the seats it read) must agree with."""
    now = timezone.now()
    rows = ShowSeat.objects.filter(show=show, label__in=labels).values("row")
    seats = ShowSeat.objects.filter(show=show, row__in=rows).order_by("row", "column")
    return _gaps(
        [
            (
                s.row,
                s.column,
                s.label,
                s.state,
                s.state == SeatState.SOLD or (s.state == SeatState.HELD and s.held_until is not None and s.held_until >= now),
            )
            for s in seats
        ],
        labels,
    )


def test_a_gap_is_flagged_in_a_row_whose_label_ends_in_a_digit(movie, alice, bob):
    """Row "R1": its seats are R11, R12, … (the row comes from the seat, not from its label)."""
    show = make_show(movie=movie, screen=make_screen(seat_layout=make_layout(rows=[row("R1", 8)])))
    hold_seats(bob, show, ["R11"])
    result = hold_seats(alice, refresh(show), ["R13"])
    assert result.warnings == ["Seat R12 is left as a single empty seat between taken seats."]
    assert single_seat_gaps(show, ["R13"]) == result.warnings


def test_gap_check_ignores_holds_that_have_run_out(show, alice, bob, clock):
    hold_seats(bob, show, ["A1"])
    clock.shift(timedelta(minutes=11))
    result = hold_seats(alice, show, ["A3"])
    assert result.warnings == []
    assert single_seat_gaps(show, ["A3"]) == []


def test_a_hold_whose_end_the_orm_wrote_is_read_back_on_sqlite_too(show, alice, bob):
    """The pre-check reads held_until through a raw cursor: SQLite hands back the ORM's naive
    UTC text, which must be made aware (this was a 500 once the ORM had moved a hold's end)."""
    hold_seats(alice, show, ["A2"])
    ShowSeat.objects.filter(show=show, label="A2").update(held_until=timezone.now() + timedelta(minutes=1))
    with pytest.raises(SeatsUnavailable):
        hold_seats(bob, show, ["A2"])
    ShowSeat.objects.filter(show=show, label="A2").update(held_until=timezone.now() - timedelta(seconds=1))
    hold_seats(bob, show, ["A2"])
    assert ShowSeat.objects.get(show=show, label="A2").booking.user == bob


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_hold_reads_the_neighbours_through_the_position_index(movie, alice):
    """A few index probes from the asked seats, not a walk over every seat of the show. A test
    database is small enough for a sequential scan to be cheapest, so that is ruled out: the
    question is whether the statement's shape lets the position index answer it."""
    from ticketing.services.holds import _read_rows

    show = make_show(movie=movie, screen=make_screen(seat_layout=make_layout(rows=[row(r, 25) for r in "ABCDEFGHIJ"])))
    with CaptureQueriesContext(connection) as queries:
        _read_rows(alice, show, ["E10", "E11"], timezone.now(), ask_verified=True, lock=False)
    (read,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + read["sql"])
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "showseat_position" in plan, plan
