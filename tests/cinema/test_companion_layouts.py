"""Companion seats in a layout: beside a wheelchair space of the same row, each mistake named."""

import pytest

from cinema.layouts import LayoutError, RowSpec, companion_partners, compile_layout
from cinema.models import SeatLayout
from tests.factories import make_layout, row


def problems(rows) -> list[str]:
    with pytest.raises(LayoutError) as excinfo:
        compile_layout(["Classic"], rows)
    return excinfo.value.messages


def test_companion_seats_beside_wheelchair_spaces_compile():
    layout = compile_layout(["Classic"], [RowSpec("A", 8, "Classic", wheelchair="1, 8", companion="2, 7")])
    assert [seat.label for seat in layout.seats if seat.companion] == ["A2", "A7"]
    assert companion_partners(layout.seats) == {"A2": ["A1"], "A7": ["A8"]}


def test_a_companion_seat_between_two_spaces_belongs_to_both():
    layout = compile_layout(["Classic"], [RowSpec("A", 5, "Classic", wheelchair="1, 3", companion="2")])
    assert companion_partners(layout.seats) == {"A2": ["A1", "A3"]}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            RowSpec("A", 8, "Classic", wheelchair="1", companion="3"),
            "Row A, companion seats: seat A3 is not next to a wheelchair space in this row",
        ),
        (
            RowSpec("A", 8, "Classic", companion="2"),
            "Row A, companion seats: seat A2 is not next to a wheelchair space in this row",
        ),
        (
            RowSpec("A", 8, "Classic", wheelchair="4", aisles_after="4", companion="5"),
            "Row A, companion seats: seat A5 is not next to a wheelchair space in this row (an aisle between them counts as apart).",
        ),
        (
            RowSpec("A", 8, "Classic", wheelchair="1-2", companion="2"),
            "Row A, companion seats: seat A2 is a wheelchair space; a companion seat is the one beside it.",
        ),
        (
            RowSpec("A", 8, "Classic", wheelchair="1", companion="2", blocked="2"),
            "Row A, companion seats: seat A2 is blocked; a companion seat must be on sale.",
        ),
        (
            RowSpec("A", 8, "Classic", wheelchair="8", companion="9"),
            "Row A, companion seats: seat 9 is not in this row (seats 1–8).",
        ),
        (RowSpec("A", 8, "Classic", wheelchair="1", companion="two"), "Row A, companion seats: “two” is not a seat number."),
    ],
)
def test_each_mistake_is_named(spec, message):
    assert any(found.startswith(message) for found in problems([spec])), problems([spec])


def test_a_wheelchair_space_in_another_row_does_not_count():
    found = problems([RowSpec("A", 4, "Classic", wheelchair="2"), RowSpec("B", 4, "Classic", companion="2")])
    assert found == [
        "Row B, companion seats: seat B2 is not next to a wheelchair space in this row (an aisle between them counts as apart)."
    ]


@pytest.mark.django_db
def test_the_snippet_refuses_a_stray_companion_seat_and_saves_a_good_one():
    from django.core.exceptions import ValidationError

    layout = make_layout(rows=[row("A", 6, "Classic", wheelchair="1", companion="2")], categories=["Classic"])
    assert [spec.companion for spec in layout.row_specs()] == ["2"]
    layout.rows = [("row", row("A", 6, "Classic", wheelchair="1", companion="4"))]
    with pytest.raises(ValidationError) as excinfo:
        layout.full_clean()
    assert "Row A, companion seats: seat A4 is not next to a wheelchair space" in " ".join(excinfo.value.messages)
    assert SeatLayout.objects.get(pk=layout.pk).row_specs()[0].companion == "2"


@pytest.mark.django_db
def test_the_admin_preview_marks_companion_seats():
    from ticketing.services.seatmap import seat_map_for_layout

    layout = make_layout(rows=[row("A", 6, "Classic", wheelchair="1", companion="2")], categories=["Classic"])
    seat_map = seat_map_for_layout(layout.compile())
    seats = {seat.label: seat for row_ in seat_map.grid for seat in row_["cells"] if seat}
    assert seat_map.companions_shown and seats["A2"].kept_with == "A1" and seats["A3"].kept_with is None
