"""Companion seats: kept beside wheelchair spaces until the release time before the show (Booking
settings), held only in the same hold as their wheelchair space, by the customer who bought
that space, or at the counter; an ordinary seat after (docs/DESIGN.md §3)."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from core.booking_rules import BookingSettings
from tests.factories import local_dt, make_layout, make_screen, make_show, row
from ticketing.errors import SeatsUnavailable
from ticketing.models import Booking, BookingState, SeatState, ShowSeat
from ticketing.services import companions
from ticketing.services.holds import hold_seats
from ticketing.services.seat_states import public_seats
from ticketing.services.seatmap import seat_map_for

pytestmark = pytest.mark.django_db

STARTS = local_dt(2026, 11, 21, 18, 30)  # the clock stands at 20 Nov 10:00: release 20 Nov 18:30


def companion_show():
    layout = make_layout(
        rows=[row("A", 6, "Classic", wheelchair="1, 6", companion="2, 5"), row("B", 6, "Classic")], categories=["Classic"]
    )
    return make_show(screen=make_screen(seat_layout=layout), starts_at=STARTS, prices={"Classic": Decimal("200")})


def inventory(show) -> dict:
    return {
        label: (state, booking)
        for label, state, booking in ShowSeat.objects.filter(show=show).values_list("label", "state", "booking_id")
    }


def held(show, booking) -> set[str]:
    return set(ShowSeat.objects.filter(show=show, booking=booking, state=SeatState.HELD).values_list("label", flat=True))


def test_inventory_carries_the_companion_flag():
    show = companion_show()
    flags = dict(ShowSeat.objects.filter(show=show).values_list("label", "companion"))
    assert {label for label, companion in flags.items() if companion} == {"A2", "A5"}


def test_a_companion_seat_alone_is_refused_naming_the_seat_and_the_time(alice):
    show = companion_show()
    before = inventory(show)
    with pytest.raises(companions.CompanionSeatKept) as refused:
        hold_seats(alice, show, ["A2", "B3"])
    error = refused.value
    assert error.status == 409 and error.code == "companion_seat_kept"
    assert error.labels == ["A2"]
    assert str(error).startswith("Seat A2 is kept for the companion of a wheelchair user until 6:30 pm on Fri 20 Nov 2026.")
    assert "wheelchair space A1" in str(error)
    assert inventory(show) == before
    assert not Booking.objects.filter(user=alice).exists()


def test_the_api_answers_409_with_the_seats(alice):
    show = companion_show()
    client = Client()
    client.force_login(alice)
    response = client.post(f"/api/shows/{show.pk}/holds", json.dumps({"seats": ["A5"]}), content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "companion_seat_kept" and body["unavailable"] == ["A5"]
    assert "Seat A5 is kept for the companion of a wheelchair user until 6:30 pm" in body["detail"]


def test_with_its_wheelchair_space_in_the_same_hold_it_is_held(alice):
    show = companion_show()
    booking = hold_seats(alice, show, ["A1", "A2"]).booking
    assert held(show, booking) == {"A1", "A2"}


def test_a_replaced_hold_that_drops_the_wheelchair_space_is_refused(alice):
    show = companion_show()
    booking = hold_seats(alice, show, ["A1", "A2"]).booking
    with pytest.raises(companions.CompanionSeatKept):
        hold_seats(alice, show, ["A2"])
    assert held(show, booking) == {"A1", "A2"}  # the earlier hold stands


def test_the_wheelchair_space_taken_by_someone_else_still_keeps_the_companion(alice, bob):
    show = companion_show()
    hold_seats(bob, show, ["A1"])
    with pytest.raises(SeatsUnavailable) as refused:
        hold_seats(alice, show, ["A1", "A2"])
    assert refused.value.labels == ["A1"]
    with pytest.raises(companions.CompanionSeatKept):
        hold_seats(alice, show, ["A2"])
    assert inventory(show)["A2"] == (SeatState.AVAILABLE, None)


def test_the_customer_who_bought_the_wheelchair_space_may_add_the_companion(alice, bob):
    show = companion_show()
    booking = hold_seats(alice, show, ["A6"]).booking
    ShowSeat.objects.filter(booking=booking).update(state=SeatState.SOLD)
    Booking.objects.filter(pk=booking.pk).update(state=BookingState.CONFIRMED)
    with pytest.raises(companions.CompanionSeatKept):
        hold_seats(bob, show, ["A5"])  # bob did not buy it
    second = hold_seats(alice, show, ["A5"]).booking
    assert held(show, second) == {"A5"}


def test_the_claim_itself_refuses_a_companion_alone(alice, monkeypatch):
    """With the read's check out of the way, the conditional UPDATE still refuses: the
    database decides."""
    show = companion_show()
    monkeypatch.setattr(companions, "refused", lambda *args: {})
    before = inventory(show)
    with pytest.raises(companions.CompanionSeatKept) as refused:
        hold_seats(alice, show, ["A2", "B1"])
    assert refused.value.labels == ["A2"]
    assert inventory(show) == before


def test_after_the_release_time_it_is_an_ordinary_seat(alice, clock):
    show = companion_show()
    clock.move_to(local_dt(2026, 11, 20, 18, 29))
    with pytest.raises(companions.CompanionSeatKept):
        hold_seats(alice, show, ["A2"])
    clock.move_to(local_dt(2026, 11, 20, 18, 30))
    booking = hold_seats(alice, show, ["A2"]).booking
    assert held(show, booking) == {"A2"}


def test_the_release_time_comes_from_booking_settings(alice):
    rules = BookingSettings.load()
    rules.companion_release_hours = 48
    rules.save()
    show = companion_show()  # 48 h before 21 Nov 18:30 has passed
    assert held(show, hold_seats(alice, show, ["A2"]).booking) == {"A2"}


def test_the_hold_statement_count_is_unchanged_by_the_rule(alice):
    """The rule rides inside the claim: no extra statement on the hot path."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    show = companion_show()
    tonight = local_dt(2026, 11, 20, 20, 0)  # released at once: 24 h before has passed
    plain = make_show(
        screen=make_screen(seat_layout=show.screen.seat_layout), starts_at=tonight, prices={"Classic": Decimal("200")}
    )
    with CaptureQueriesContext(connection) as ordinary:
        hold_seats(alice, plain, ["A1", "A2"])
    with CaptureQueriesContext(connection) as kept:
        hold_seats(alice, show, ["A1", "A2"])
    assert len(kept) == len(ordinary)
    rule = ".companion OR EXISTS"  # the claim's extra condition (NOT <seat>.companion OR EXISTS …)
    assert rule in " ".join(q["sql"] for q in kept.captured_queries)
    assert rule not in " ".join(q["sql"] for q in ordinary.captured_queries)


def test_the_seat_map_marks_companion_seats_until_the_release(clock):
    show = companion_show()
    seat_map = seat_map_for(show)
    assert seat_map.companions_shown and seat_map.companions_until == local_dt(2026, 11, 20, 18, 30)
    seats = {seat.label: seat for row_ in seat_map.grid for seat in row_["cells"] if seat}
    assert seats["A2"].kept_with == "A1" and seats["A5"].kept_with == "A6" and seats["A3"].kept_with is None
    clock.move_to(local_dt(2026, 11, 20, 18, 30))
    released = seat_map_for(show)
    assert not released.companions_shown
    assert all(seat.kept_with is None for row_ in released.grid for seat in row_["cells"] if seat)


def test_the_seat_states_say_until_when_and_turn_at_the_release(clock):
    show = companion_show()
    public = public_seats(show.pk, (1, 1))
    seats = {seat["label"]: seat for seat in json.loads(public.body)["seats"]}
    assert seats["A2"]["companion"] and seats["A2"]["companion_until"] == "2026-11-20T18:30:00+05:30"
    assert seats["A1"]["wheelchair"] and seats["A1"]["companion_until"] is None
    assert local_dt(2026, 11, 20, 18, 30) in public.moments
    clock.move_to(
        local_dt(
            2026,
            11,
            20,
            18,
            30,
        )
    )
    later = {seat["label"]: seat for seat in json.loads(public_seats(show.pk, (1, 1)).body)["seats"]}
    assert later["A2"]["companion"] and later["A2"]["companion_until"] is None


def test_a_layout_edit_keeps_a_held_companion_seat(alice):
    from tests.factories import set_layout_rows
    from ticketing.services.inventory import sync_show_seats

    show = companion_show()
    booking = hold_seats(alice, show, ["A1", "A2"]).booking
    set_layout_rows(show.screen.seat_layout, [row("A", 6, "Classic", wheelchair="6", companion="5"), row("B", 6, "Classic")])
    sync_show_seats(show)
    rows = {
        label: (companion, state, b)
        for label, companion, state, b in ShowSeat.objects.filter(show=show).values_list(
            "label", "companion", "state", "booking_id"
        )
    }
    assert rows["A2"] == (True, SeatState.HELD, booking.pk)  # held: left exactly as it was
    assert rows["A5"][0] is True and rows["A3"][0] is False
