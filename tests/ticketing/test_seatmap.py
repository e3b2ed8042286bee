"""The seat map customers see: lazy expiry, the legend with prices, and a fixed query count."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cinema.models import ShowPage
from tests.factories import category, make_layout, make_screen, make_show, row
from ticketing.models import SeatState, ShowSeat
from ticketing.services.seatmap import seat_map_for, seat_map_for_layout


@pytest.fixture
def show(movie):
    layout = make_layout(
        categories=[category("Recliner", "Lie back"), category("Prime", "Best view"), category("Classic")],
        rows=[row("A", 6, "Classic", blocked="6", aisles_after="3"), row("B", 4, "Prime", walkway_before=True)],
    )
    return make_show(
        movie=movie, screen=make_screen(seat_layout=layout), prices={"Prime": "300", "Classic": "150", "Recliner": "500"}
    )


def states(seat_map) -> dict[str, str]:
    return {cell.label: cell.public_state for r in seat_map.grid for cell in r["cells"] if cell}


def fresh(show) -> ShowPage:
    return ShowPage.objects.get(pk=show.pk)


@pytest.mark.django_db
def test_seat_map_shows_every_seat_in_its_place(show):
    seat_map = seat_map_for(fresh(show))
    assert seat_map.total == 10
    assert seat_map.available == 9  # A6 is blocked
    assert seat_map.columns == 7  # six seats and the aisle after A3
    assert [r["label"] for r in seat_map.grid] == ["A", "", "B"]
    assert [c.label if c else None for c in seat_map.grid[0]["cells"]] == ["A1", "A2", "A3", None, "A4", "A5", "A6"]
    assert states(seat_map)["A6"] == SeatState.BLOCKED
    a1 = seat_map.grid[0]["cells"][0]
    assert (a1.price, a1.tier) == (Decimal("150.00"), 2)


@pytest.mark.django_db
def test_lazy_expiry_frees_a_hold_once_it_has_run_out(show, clock):
    """docs/DESIGN.md §3: a seat is claimable when held_until < now, so the map agrees with holds."""
    ShowSeat.objects.filter(show=show, label="A1").update(state=SeatState.HELD, held_until=timezone.now() + timedelta(minutes=10))
    ShowSeat.objects.filter(show=show, label="A2").update(state=SeatState.SOLD)

    seat_map = seat_map_for(fresh(show))
    assert (states(seat_map)["A1"], states(seat_map)["A2"]) == (SeatState.HELD, SeatState.SOLD)
    assert seat_map.available == 7

    clock.shift(timedelta(minutes=10))  # exactly held_until: still held
    assert states(seat_map_for(fresh(show)))["A1"] == SeatState.HELD

    clock.shift(timedelta(microseconds=1))
    seat_map = seat_map_for(fresh(show))
    assert states(seat_map)["A1"] == SeatState.AVAILABLE
    assert states(seat_map)["A2"] == SeatState.SOLD
    assert seat_map.available == 8
    # Reading never writes: the row is still "held" until the sweep tidies it.
    assert ShowSeat.objects.get(show=show, label="A1").state == SeatState.HELD


@pytest.mark.django_db
def test_seat_map_can_be_read_as_of_a_given_time(show):
    until = timezone.now() + timedelta(minutes=10)
    ShowSeat.objects.filter(show=show, label="B1").update(state=SeatState.HELD, held_until=until)
    assert states(seat_map_for(fresh(show), now=until - timedelta(seconds=1)))["B1"] == SeatState.HELD
    assert states(seat_map_for(fresh(show), now=until + timedelta(seconds=1)))["B1"] == SeatState.AVAILABLE


@pytest.mark.django_db
def test_legend_lists_categories_in_layout_order_with_prices_and_free_seats(show, clock):
    ShowSeat.objects.filter(show=show, label="B2").update(state=SeatState.SOLD)
    ShowSeat.objects.filter(show=show, label="B3").update(state=SeatState.HELD, held_until=timezone.now() - timedelta(seconds=1))
    legend = seat_map_for(fresh(show)).legend
    # Recliner has no seats in this layout, so it is left out (keeping its colour tier slot).
    assert legend == [
        {"name": "Prime", "description": "Best view", "price": Decimal("300.00"), "free": 3, "tier": 1},
        {"name": "Classic", "description": "", "price": Decimal("150.00"), "free": 5, "tier": 2},
    ]


@pytest.mark.django_db
def test_legend_of_the_layout_preview(layout):
    preview = seat_map_for_layout(layout.compile(), {"Prime": "Middle rows"})
    assert preview.total == 20 and preview.available == 20
    assert [(e["name"], e["description"], e["price"], e["free"]) for e in preview.legend] == [
        ("Prime", "Middle rows", None, 10),
        ("Classic", "", None, 10),
    ]


def count_queries(show) -> int:
    show = fresh(show)
    with CaptureQueriesContext(connection) as ctx:
        seat_map_for(show)
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_seat_map_query_count_does_not_grow_with_seats(movie, django_assert_max_num_queries):
    small = make_show(
        movie=movie, screen=make_screen(seat_layout=make_layout(rows=[row("A", 4, "Classic"), row("B", 4, "Prime")]))
    )
    big_layout = make_layout(rows=[row(chr(ord("A") + i), 40, "Classic" if i < 10 else "Prime") for i in range(15)])
    big = make_show(movie=movie, screen=make_screen(seat_layout=big_layout))
    assert ShowSeat.objects.filter(show=big).count() == 600

    big = fresh(big)
    with django_assert_max_num_queries(4):  # seats, prices, screen, layout
        seat_map = seat_map_for(big)
    assert seat_map.total == 600
    assert count_queries(small) == count_queries(big)
