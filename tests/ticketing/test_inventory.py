"""Seat inventory: one ShowSeat per seat, kept in step with the layout without ever
touching a seat somebody holds or bought."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cinema.models import SeatLayout, ShowPage, TheaterPage
from tests.factories import local_dt, make_layout, make_screen, make_show, make_theater, row, set_layout_rows
from ticketing.models import SeatState, ShowSeat
from ticketing.services.inventory import sync_show_seats, sync_upcoming_shows


def seats(show) -> dict[str, ShowSeat]:
    return {seat.label: seat for seat in ShowSeat.objects.filter(show=show)}


def hold(show, *labels, minutes=10):
    ShowSeat.objects.filter(show=show, label__in=labels).update(
        state=SeatState.HELD, held_until=timezone.now() + timedelta(minutes=minutes)
    )


def sell(show, *labels):
    ShowSeat.objects.filter(show=show, label__in=labels).update(state=SeatState.SOLD)


@pytest.fixture
def big_layout(db):
    """A1–A20 Classic (wheelchair 1-2, seat 20 blocked), B1–B10 Prime."""
    return make_layout(
        rows=[row("A", 20, "Classic", wheelchair="1-2", blocked="20", aisles_after="10"), row("B", 10, "Prime", offset=5)],
    )


@pytest.fixture
def show(big_layout, movie):
    return make_show(movie=movie, screen=make_screen(seat_layout=big_layout))


# --- creation ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_new_show_gets_one_seat_per_place_in_the_layout(show, big_layout):
    inventory = seats(show)
    assert big_layout.capacity == 30
    assert len(inventory) == 30
    assert set(inventory) == {f"A{n}" for n in range(1, 21)} | {f"B{n}" for n in range(1, 11)}
    assert {s.category for s in inventory.values() if s.row == "A"} == {"Classic"}
    assert {s.category for s in inventory.values() if s.row == "B"} == {"Prime"}
    assert sorted(label for label, s in inventory.items() if s.wheelchair) == ["A1", "A2"]
    assert [label for label, s in inventory.items() if s.state == SeatState.BLOCKED] == ["A20"]
    assert sum(s.state == SeatState.AVAILABLE for s in inventory.values()) == 29
    assert (inventory["A11"].column, inventory["B1"].column, inventory["B1"].row_index) == (11, 5, 1)
    assert inventory["A7"].number == 7 and inventory["A7"].held_until is None


@pytest.mark.django_db
def test_seat_labels_are_unique_per_show_in_the_database(show):
    with pytest.raises(IntegrityError), transaction.atomic():
        ShowSeat.objects.create(show=show, label="A1", row="A", number=1, row_index=0, column=0, category="Classic")
    assert ShowSeat.objects.filter(show=show, label="A1").count() == 1


@pytest.mark.django_db
def test_the_same_label_is_fine_at_another_show(show, movie):
    other = make_show(movie=movie, screen=show.screen, starts_at=show.starts_at + timedelta(days=1))
    assert ShowSeat.objects.filter(label="A1").count() == 2
    assert seats(other).keys() == seats(show).keys()


@pytest.mark.django_db
def test_sync_of_a_show_in_step_changes_nothing(show):
    hold(show, "A3")
    assert sync_show_seats(show).__dict__ == {"created": 0, "removed": 0, "updated": 0, "kept_taken": 1}
    assert seats(show)["A3"].state == SeatState.HELD


@pytest.mark.django_db
def test_republishing_a_show_keeps_its_inventory(show):
    sell(show, "B4")
    show.save_revision().publish()
    assert seats(show)["B4"].state == SeatState.SOLD
    assert len(seats(show)) == 30


# --- layout edits --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_layout_edit_adds_new_seats_and_removes_free_ones(show, big_layout):
    set_layout_rows(
        big_layout, [row("A", 22, "Classic", wheelchair="1-2", blocked="20", aisles_after="10"), row("C", 4, "Prime")]
    )
    inventory = seats(show)
    assert set(inventory) == {f"A{n}" for n in range(1, 23)} | {"C1", "C2", "C3", "C4"}
    assert inventory["A22"].state == SeatState.AVAILABLE
    assert inventory["C1"].category == "Prime" and inventory["C1"].row_index == 1


@pytest.mark.django_db
def test_layout_edit_updates_free_seats(show, big_layout):
    # Row A becomes Prime, loses its wheelchair spaces, seat 20 is unblocked and seat 5 blocked.
    set_layout_rows(big_layout, [row("A", 20, "Prime", blocked="5"), row("B", 10, "Prime", offset=5)])
    inventory = seats(show)
    assert {s.category for s in inventory.values()} == {"Prime"}
    assert not any(s.wheelchair for s in inventory.values())
    assert inventory["A20"].state == SeatState.AVAILABLE
    assert inventory["A5"].state == SeatState.BLOCKED
    assert inventory["A11"].column == 10  # the aisle after seat 10 is gone


@pytest.mark.django_db
def test_layout_edit_never_touches_held_or_sold_seats(show, big_layout):
    hold(show, "B1", "A1")
    sell(show, "B2", "A5")
    before = {
        label: (s.row, s.number, s.row_index, s.column, s.category, s.wheelchair, s.state) for label, s in seats(show).items()
    }

    # Row B disappears, row A is recategorised, renumbered from 3 and loses its wheelchair spaces.
    set_layout_rows(big_layout, [row("A", 20, "Prime", first_number=3, blocked="5")])

    inventory = seats(show)
    for label in ("A1", "A5", "B1", "B2"):
        s = inventory[label]
        assert (s.row, s.number, s.row_index, s.column, s.category, s.wheelchair, s.state) == before[label], label
    assert inventory["B1"].held_until is not None
    # Free seats of the removed row went; free seats of the new numbering came.
    assert not {f"B{n}" for n in range(3, 11)} & set(inventory)
    assert "A2" not in inventory and "A22" in inventory
    assert inventory["A6"].category == "Prime"
    assert set(inventory) == {"A1", "B1", "B2"} | {f"A{n}" for n in range(3, 23)}


@pytest.mark.django_db
def test_a_lapsed_hold_does_not_keep_its_seat_from_a_layout_edit(show, big_layout, clock):
    """The sweep leaves a lapsed hold's row as it was; the sync counts it free, as every reader does."""
    hold(show, "B1", minutes=10)
    hold(show, "B2", minutes=30)
    clock.shift(timedelta(minutes=11))
    set_layout_rows(big_layout, [row("A", 20, "Classic")])
    assert "B1" not in seats(show)  # dropped with its row
    assert seats(show)["B2"].state == SeatState.HELD  # a live hold is never dropped


@pytest.mark.django_db
def test_sync_result_counts(show, big_layout):
    hold(show, "B1")
    sell(show, "B2")
    big_layout.rows = [("row", row("A", 20, "Prime")), ("row", row("C", 3, "Classic"))]
    SeatLayout.objects.filter(pk=big_layout.pk).update(rows=big_layout.rows)  # no save(): sync by hand
    result = sync_show_seats(ShowPage.objects.get(pk=show.pk))
    assert (result.created, result.removed, result.kept_taken) == (3, 8, 2)
    assert result.updated == 20  # category, wheelchair, blocked or column changed on every A seat


@pytest.mark.django_db
def test_an_unusable_layout_never_wipes_inventory(show, big_layout):
    SeatLayout.objects.filter(pk=big_layout.pk).update(rows=[("row", row("A", 0, "Nowhere"))])
    big_layout.refresh_from_db()
    big_layout.save()  # saved from code without clean(): sync must refuse the layout
    assert len(seats(show)) == 30
    assert sync_show_seats(show).__dict__ == {"created": 0, "removed": 0, "updated": 0, "kept_taken": 0}


@pytest.mark.django_db
def test_layout_edit_skips_shows_that_already_started(big_layout, movie, clock):
    screen = make_screen(seat_layout=big_layout)
    started = make_show(movie=movie, screen=screen, starts_at=local_dt(2026, 11, 20, 11, 0))
    upcoming = make_show(movie=movie, screen=screen, starts_at=local_dt(2026, 11, 20, 18, 0))
    clock.move_to(local_dt(2026, 11, 20, 11, 30))

    set_layout_rows(big_layout, [row("A", 5, "Classic")])

    assert len(seats(started)) == 30
    assert set(seats(upcoming)) == {"A1", "A2", "A3", "A4", "A5"}


@pytest.mark.django_db
def test_layout_edit_only_resyncs_screens_using_that_layout(show, big_layout, movie):
    other_layout = make_layout(rows=[row("Z", 3, "Classic")])
    other_show = make_show(movie=movie, screen=make_screen(seat_layout=other_layout))
    set_layout_rows(big_layout, [row("A", 4, "Classic")])
    assert len(seats(show)) == 4
    assert set(seats(other_show)) == {"Z1", "Z2", "Z3"}


@pytest.mark.django_db
def test_sync_upcoming_shows_filters(show, movie, big_layout):
    other = make_show(movie=movie, screen=make_screen(seat_layout=make_layout()))
    assert sync_upcoming_shows(screens=[show.screen]) == 1
    assert sync_upcoming_shows(layouts=[big_layout]) == 1
    assert sync_upcoming_shows(screens=[show.screen, other.screen]) == 2


# --- screens ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_changing_a_screens_layout_resyncs_its_upcoming_shows(show, big_layout):
    sell(show, "A3")
    screen = TheaterPage.objects.get(pk=show.screen.theater_id).screens.get()
    screen.seat_layout = make_layout(rows=[row("K", 6, "Prime", wheelchair="6")])
    screen.save()

    inventory = seats(show)
    assert set(inventory) == {"A3", "K1", "K2", "K3", "K4", "K5", "K6"}
    assert inventory["A3"].state == SeatState.SOLD and inventory["A3"].category == "Classic"
    assert inventory["K6"].wheelchair


@pytest.mark.django_db
def test_saving_a_screen_without_changing_its_layout_does_not_resync(show):
    screen = TheaterPage.objects.get(pk=show.screen.theater_id).screens.get()
    ShowSeat.objects.filter(show=show, label="A1").delete()  # drift that only a sync would repair
    screen.name = "Audi 1"
    screen.save()
    assert "A1" not in seats(show)


@pytest.mark.django_db
def test_moving_a_show_to_another_screen_resyncs_it(show, movie):
    show.screen = make_screen(seat_layout=make_layout(rows=[row("Q", 2, "Classic")]))
    show.save()
    assert set(seats(show)) == {"Q1", "Q2"}


@pytest.mark.django_db
def test_changing_a_screens_layout_in_the_page_editor_resyncs_its_upcoming_shows(admin_client, movie):
    """The path editors actually use: edit the theater page, pick another layout, publish."""
    old_layout = make_layout(rows=[row("A", 4, "Classic"), row("B", 4, "Prime")])
    new_layout = make_layout(rows=[row("K", 6, "Classic"), row("L", 6, "Prime")])
    theater = make_theater(screens=[{"name": "Screen 1", "seat_layout": old_layout}], title="Marquee Juhu", slug="juhu")
    screen = theater.screens.get()
    show = make_show(movie=movie, screen=screen)
    sell(show, "A1")

    data = nested_form_data(
        {
            "title": theater.title,
            "slug": theater.slug,
            "city": theater.city,
            "address": theater.address,
            "map_url": "",
            "screens": inline_formset(
                [{"id": screen.pk, "name": "Screen 1", "format": "2D", "seat_layout": new_layout.pk}], initial=1, min=1
            ),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[theater.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    screen.refresh_from_db()
    assert screen.seat_layout_id == new_layout.pk

    assert set(seats(show)) == {"A1"} | {f"{r}{n}" for r in "KL" for n in range(1, 7)}
