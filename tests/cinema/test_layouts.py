"""Seat layouts: every problem an editor can make is reported in words that name it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cinema.layouts import LayoutError, RowSpec, compile_layout, parse_numbers, seats_to_grid
from cinema.models import SeatLayout
from tests.factories import category, make_layout, make_screen, make_show, row


def problems(categories, rows) -> list[str]:
    with pytest.raises(LayoutError) as excinfo:
        compile_layout(categories, rows)
    return excinfo.value.messages


# --- parse_numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("", []), ("4", [4]), ("1, 2, 7-9", [1, 2, 7, 8, 9]), (" 3 ; 5 ", [3, 5]), ("2-2", [2]), ("1,,3", [1, 3])],
)
def test_parse_numbers(text, numbers):
    assert parse_numbers(text) == numbers


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1, x", "“x” is not a seat number"),
        ("3-a", "“3-a” is not a seat number or a range like 3-5"),
        ("9-7", "“9-7” runs backwards; write it as 7-9"),
        ("-2", "“-2” is not a seat number or a range like 3-5"),
    ],
)
def test_parse_numbers_names_the_bad_part(text, message):
    with pytest.raises(ValueError) as excinfo:
        parse_numbers(text)
    assert str(excinfo.value) == message


# --- compile_layout: a good layout ----------------------------------------------------------


def test_compile_lays_seats_on_a_grid():
    layout = compile_layout(
        ["Prime", "Classic"],
        [
            RowSpec("a", 4, "classic", aisles_after="2", wheelchair="1", blocked="4"),
            RowSpec("B", 3, "Prime", first_number=5, offset=1, walkway_before=True),
        ],
    )
    assert layout.capacity == 7
    assert [s.label for s in layout.seats] == ["A1", "A2", "A3", "A4", "B5", "B6", "B7"]
    # Category names are matched without case and stored as the layout spells them.
    assert {s.category for s in layout.seats if s.row == "A"} == {"Classic"}
    assert [s.column for s in layout.seats if s.row == "A"] == [0, 1, 3, 4]  # aisle after seat 2
    assert [s.column for s in layout.seats if s.row == "B"] == [1, 2, 3]  # offset 1
    assert [s.row_index for s in layout.seats] == [0, 0, 0, 0, 2, 2, 2]  # walkway is row 1
    assert [s.label for s in layout.seats if s.wheelchair] == ["A1"]
    assert [s.label for s in layout.seats if s.blocked] == ["A4"]
    assert (layout.rows, layout.columns) == (3, 5)

    grid = layout.grid()
    assert [r["label"] for r in grid] == ["A", "", "B"]
    assert grid[1]["walkway"] is True
    assert [c.label if c else None for c in grid[0]["cells"]] == ["A1", "A2", None, "A3", "A4"]
    assert [c.label if c else None for c in grid[2]["cells"]] == [None, "B5", "B6", "B7", None]


def test_seats_to_grid_with_no_seats():
    assert seats_to_grid([], 0) == []


# --- compile_layout: each problem is named ---------------------------------------------------


def test_duplicate_row_labels():
    messages = problems(["Classic"], [RowSpec("A", 5, "Classic"), RowSpec("a", 5, "Classic")])
    assert "Row label “A” is used twice; each row needs its own label." in messages
    assert "Seat label A1 appears twice; change a row label or its first seat number." in messages


def test_duplicate_seat_labels_across_different_rows():
    # Row "A" seat 11 and row "A1" seat 1 are both called A11.
    messages = problems(["Classic"], [RowSpec("A", 11, "Classic"), RowSpec("A1", 1, "Classic")])
    assert messages == ["Seat label A11 appears twice; change a row label or its first seat number."]


def test_empty_row():
    messages = problems(["Classic"], [RowSpec("A", 5, "Classic"), RowSpec("B", 0, "Classic")])
    assert messages == ["Row B is empty: give it at least one seat."]


def test_no_rows():
    assert problems(["Classic"], []) == ["Add at least one row of seats."]


def test_row_without_label():
    messages = problems(["Classic"], [RowSpec("A", 5, "Classic"), RowSpec(" ", 5, "Classic")])
    assert "Row #2 needs a label (for example A)." in messages


def test_row_label_with_punctuation():
    assert problems(["Classic"], [RowSpec("A-", 5, "Classic")]) == ["Row A-: a row label may contain only letters and digits."]


def test_too_many_seats_in_a_row():
    assert problems(["Classic"], [RowSpec("A", 81, "Classic")]) == ["Row A has 81 seats; the most a row can have is 80."]


def test_too_many_rows():
    rows = [RowSpec(f"R{i}", 1, "Classic") for i in range(41)]
    assert problems(["Classic"], rows) == ["A screen can have at most 40 rows; this layout has 41."]


def test_unknown_category():
    messages = problems(["Prime", "Classic"], [RowSpec("A", 5, "Recliner")])
    assert messages == ["Row A uses category “Recliner”, which is not one of this layout’s categories (Prime, Classic)."]


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("aisles_after", "4, x", "Row A, aisles after: “x” is not a seat number."),
        ("wheelchair", "1-", "Row A, wheelchair seats: “1-” is not a seat number or a range like 3-5."),
        ("blocked", "6-3", "Row A, blocked seats: “6-3” runs backwards; write it as 3-6."),
    ],
)
def test_bad_number_lists(field, text, message):
    assert problems(["Classic"], [RowSpec("A", 10, "Classic", **{field: text})]) == [message]


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("aisles_after", "4, 11", "Row A, aisles after: seat 11 is not in this row (seats 1–10)."),
        ("wheelchair", "12-13", "Row A, wheelchair seats: seat 12 is not in this row (seats 1–10)."),
        ("blocked", "0", "Row A, blocked seats: seat 0 is not in this row (seats 1–10)."),
    ],
)
def test_numbers_outside_the_row(field, text, message):
    assert problems(["Classic"], [RowSpec("A", 10, "Classic", **{field: text})]) == [message]


def test_numbers_outside_a_row_that_does_not_start_at_one():
    messages = problems(["Classic"], [RowSpec("B", 5, "Classic", first_number=11, wheelchair="10")])
    assert messages == ["Row B, wheelchair seats: seat 10 is not in this row (seats 11–15)."]


def test_no_categories():
    messages = problems([], [RowSpec("A", 5, "Classic")])
    assert "Add at least one seat category (for example Recliner, Prime, Classic)." in messages
    assert "Row A uses category “Classic”, which is not one of this layout’s categories (none yet)." in messages


def test_blank_category_names_do_not_count():
    assert "Add at least one seat category (for example Recliner, Prime, Classic)." in problems(["  "], [RowSpec("A", 5, "X")])


def test_duplicate_categories():
    messages = problems(["Prime", "Classic", "prime "], [RowSpec("A", 5, "Classic")])
    assert messages == ["Seat category “prime” is listed twice."]


def test_every_problem_is_reported_at_once():
    messages = problems(["Classic"], [RowSpec("A", 0, "Classic"), RowSpec("B", 5, "Gold", blocked="9")])
    assert len(messages) == 3
    assert any("Row A is empty" in m for m in messages)
    assert any("Row B uses category “Gold”" in m for m in messages)
    assert any("Row B, blocked seats: seat 9" in m for m in messages)


# --- the same rules through the SeatLayout model --------------------------------------------


def full_clean_messages(layout: SeatLayout) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        layout.full_clean()
    return excinfo.value.messages


def build_layout(rows, categories=("Prime", "Classic"), name="Audi 1") -> SeatLayout:
    return SeatLayout(
        name=name,
        categories=[("category", category(c)) for c in categories],
        rows=[("row", r) for r in rows],
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "categories", "message"),
    [
        ([row("A", 5), row("A", 5)], ("Classic",), "Row label “A” is used twice; each row needs its own label."),
        (
            [row("A", 11), row("A1", 1)],
            ("Classic",),
            "Seat label A11 appears twice; change a row label or its first seat number.",
        ),
        ([row("A", 0)], ("Classic",), "Row A is empty: give it at least one seat."),
        (
            [row("A", 5, "Gold")],
            ("Prime", "Classic"),
            "Row A uses category “Gold”, which is not one of this layout’s categories (Prime, Classic).",
        ),
        ([row("A", 5, aisles_after="2, two")], ("Classic",), "Row A, aisles after: “two” is not a seat number."),
        ([row("A", 5, blocked="6")], ("Classic",), "Row A, blocked seats: seat 6 is not in this row (seats 1–5)."),
        ([row("A", 5)], (), "Add at least one seat category (for example Recliner, Prime, Classic)."),
        ([row("A", 5)], ("Classic", "CLASSIC"), "Seat category “classic” is listed twice."),
    ],
)
def test_full_clean_reports_layout_problems(rows, categories, message):
    layout = build_layout(rows, categories)
    assert message in full_clean_messages(layout)


@pytest.mark.django_db
def test_full_clean_sets_capacity_of_a_good_layout():
    layout = build_layout([row("A", 12, "Prime"), row("B", 8, "Classic", blocked="1")])
    layout.full_clean()
    assert layout.capacity == 20
    layout.save()
    assert SeatLayout.objects.get(pk=layout.pk).capacity == 20
    assert str(layout) == "Audi 1"


@pytest.mark.django_db
def test_layout_accepted_by_validation_fits_the_seat_inventory():
    """ShowSeat.number is a PositiveSmallIntegerField (at most 32767 on PostgreSQL): a layout
    whose seat numbers cannot be stored must be refused when it is saved, not when the
    first show is scheduled on it."""
    layout = build_layout([row("A", 2, first_number=40000)], ("Classic",))
    assert full_clean_messages(layout) == ["Row A: seat numbers would run up to 40001; the highest seat number allowed is 999."]


def test_seat_numbers_up_to_999():
    assert compile_layout(["Classic"], [RowSpec("A", 10, "Classic", first_number=990)]).seats[-1].label == "A999"
    assert problems(["Classic"], [RowSpec("A", 10, "Classic", first_number=991)]) == [
        "Row A: seat numbers would run up to 1000; the highest seat number allowed is 999."
    ]


@pytest.mark.django_db
def test_largest_labels_fit_the_inventory(movie):
    """Three-letter row, number 999: the longest label a layout allows is stored on every database."""
    layout = make_layout(categories=["Classic"], rows=[row("ABC", 3, "Classic", first_number=997)])
    show = make_show(movie=movie, screen=make_screen(seat_layout=layout))
    assert sorted(show.seats.values_list("label", "number")) == [("ABC997", 997), ("ABC998", 998), ("ABC999", 999)]


# --- the snippet editor ------------------------------------------------------------------------


def layout_post_data(name, rows, categories=("Prime", "Classic")):
    def row_value(value):
        value = dict(value)
        value["walkway_before"] = "on" if value["walkway_before"] else ""
        return value

    return nested_form_data(
        {
            "name": name,
            "categories": streamfield([("category", category(c)) for c in categories]),
            "rows": streamfield([("row", row_value(r)) for r in rows]),
        }
    )


@pytest.mark.django_db
def test_snippet_editor_creates_a_valid_layout(admin_client):
    data = layout_post_data("Audi 2", [row("A", 6, "Classic", wheelchair="1-2"), row("B", 4, "Prime")])
    response = admin_client.post(reverse("wagtailsnippets_cinema_seatlayout:add"), data)
    assert response.status_code == 302
    layout = SeatLayout.objects.get(name="Audi 2")
    assert layout.capacity == 10
    assert [s.label for s in layout.compile().seats if s.wheelchair] == ["A1", "A2"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([row("A", 5, "Classic"), row("A", 5, "Prime")], "Row label “A” is used twice; each row needs its own label."),
        ([row("A", 5, "Gold")], "Row A uses category “Gold”, which is not one of this layout’s categories (Prime, Classic)."),
        ([row("A", 5, "Classic", wheelchair="7")], "Row A, wheelchair seats: seat 7 is not in this row (seats 1–5)."),
    ],
)
def test_snippet_editor_refuses_an_invalid_layout(admin_client, rows, message):
    response = admin_client.post(reverse("wagtailsnippets_cinema_seatlayout:add"), layout_post_data("Broken", rows))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SeatLayout.objects.filter(name="Broken").exists()


@pytest.mark.django_db
def test_snippet_editor_refuses_a_bad_number_list_in_the_block(admin_client):
    rows = [row("A", 5, "Classic", aisles_after="2, x")]
    response = admin_client.post(reverse("wagtailsnippets_cinema_seatlayout:add"), layout_post_data("Broken", rows))
    assert response.status_code == 200
    assert "rows" in response.context["form"].errors
    # Block errors travel to the stream editor as JSON inside the page.
    assert "\\u201cx\\u201d is not a seat number" in response.content.decode()
    # Only the real problem is reported, not a stale "no rows" from the unsaved value.
    assert "Add at least one row of seats." not in response.content.decode()
    assert SeatLayout.objects.count() == 0


@pytest.mark.django_db
def test_snippet_editor_edit_of_an_existing_layout_is_validated(admin_client):
    layout = make_layout(name="Audi 3")
    data = layout_post_data("Audi 3", [row("A", 5, "Classic"), row("B", 5, "Nowhere")])
    response = admin_client.post(reverse("wagtailsnippets_cinema_seatlayout:edit", args=[layout.pk]), data)
    assert response.status_code == 200
    assert "Row B uses category “Nowhere”" in response.content.decode()
    layout.refresh_from_db()
    assert layout.capacity == 20
    assert [r.value["label"] for r in layout.rows] == ["A", "B"]
    assert [r.value["category"] for r in layout.rows] == ["Classic", "Prime"]
