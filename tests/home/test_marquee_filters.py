"""The `marquee` template library: rupees the Indian way, showtimes in IST, the shared seat map."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from cinema.layouts import RowSpec, compile_layout
from core.money import group_indian
from home.templatetags.marquee import (
    booking_state,
    daymonth,
    dayname,
    inr,
    is_future,
    isodate,
    relday,
    seat_rows,
    seat_state_label,
    showdate,
    showdatetime,
    showtime,
)

IST = ZoneInfo("Asia/Kolkata")


# --- inr ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234567.5"), "₹12,34,567.50"),
        (450, "₹450.00"),
        (None, "—"),
        (Decimal("-1200"), "−₹1,200.00"),
        (0, "₹0.00"),
        (Decimal("0.5"), "₹0.50"),
        (Decimal("999"), "₹999.00"),
        (Decimal("1000"), "₹1,000.00"),
        (Decimal("99999.99"), "₹99,999.99"),
        (Decimal("100000"), "₹1,00,000.00"),
        (Decimal("12345678.9"), "₹1,23,45,678.90"),
        (Decimal("1000000000"), "₹1,00,00,00,000.00"),
        ("250", "₹250.00"),
        ("1,234.5", "₹1,234.50"),
        (" 75.25 ", "₹75.25"),
        (Decimal("-0.5"), "−₹0.50"),
    ],
)
def test_inr_formats_indian_grouping_with_two_decimals(value, expected):
    assert inr(value) == expected


def test_inr_rounds_half_up_to_paise():
    assert inr(Decimal("10.005")) == "₹10.01"
    assert inr(Decimal("10.004")) == "₹10.00"
    assert inr(Decimal("-10.005")) == "−₹10.01"


def test_inr_never_shows_negative_zero():
    assert inr(Decimal("-0.001")) == "₹0.00"
    assert inr(Decimal("-0")) == "₹0.00"


def test_inr_reads_floats_as_printed_not_as_binary():
    # 0.1 + 0.2 prints as 0.30000000000000004, which still rounds to 30 paise.
    assert inr(0.1 + 0.2) == "₹0.30"
    assert inr(2.675) == "₹2.68"  # Decimal("2.675"), not the binary 2.67499999…


@pytest.mark.parametrize("value", ["", "   ", "abc", "NaN", "Infinity", True, False, object()])
def test_inr_shows_a_dash_for_anything_that_is_not_an_amount(value):
    assert inr(value) == "—"


def test_inr_uses_a_real_minus_sign():
    assert inr(-5).startswith("\u2212")


@pytest.mark.parametrize(
    ("digits", "expected"),
    [("1", "1"), ("123", "123"), ("1234", "1,234"), ("12345", "12,345"), ("123456", "1,23,456"), ("1234567", "12,34,567")],
)
def test_group_indian(digits, expected):
    assert group_indian(digits) == expected


def test_inr_in_a_template():
    rendered = Template("{% load marquee %}{{ amount|inr }}").render(Context({"amount": Decimal("250")}))
    assert rendered == "₹250.00"


# --- dates and times ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 11, 21, 19, 30), "7:30 pm"),
        (datetime(2026, 11, 21, 0, 5), "12:05 am"),
        (datetime(2026, 11, 21, 12, 0), "12:00 pm"),
        (datetime(2026, 11, 21, 9, 45), "9:45 am"),
        (datetime(2026, 11, 21, 23, 59), "11:59 pm"),
    ],
)
def test_showtime(local, expected):
    assert showtime(local.replace(tzinfo=IST)) == expected


def test_showtime_converts_utc_to_ist():
    # 14:00 UTC is 19:30 in India.
    assert showtime(datetime(2026, 11, 21, 14, 0, tzinfo=UTC)) == "7:30 pm"


def test_showdatetime_across_midnight_uses_the_ist_date():
    # 20:00 UTC on the 21st is 01:30 on Sunday the 22nd in India.
    assert showdatetime(datetime(2026, 11, 21, 20, 0, tzinfo=UTC)) == "Sun 22 Nov 2026, 1:30 am"


def test_showdatetime_matches_the_box_office_style():
    assert showdatetime(datetime(2026, 11, 21, 19, 30, tzinfo=IST)) == "Sat 21 Nov 2026, 7:30 pm"


def test_showdate_accepts_plain_dates():
    assert showdate(date(2026, 11, 21)) == "Sat 21 Nov 2026"


@pytest.mark.parametrize("value", [None, "", "tomorrow", 42])
def test_date_filters_ignore_non_dates(value):
    assert showtime(value) == ""
    assert showdate(value) == ""
    assert showdatetime(value) == ""
    assert dayname(value) == ""
    assert relday(value) == ""
    assert daymonth(value) == ""
    assert isodate(value) == ""
    assert is_future(value) is False


def test_relative_day_labels():
    today = timezone.localdate()
    later = today + timedelta(days=3)
    assert relday(today) == "Today"
    assert relday(today + timedelta(days=1)) == "Tomorrow"
    assert relday(later) == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[later.weekday()]
    assert dayname(today).startswith("Today, ")
    assert dayname(today + timedelta(days=1)).startswith("Tomorrow, ")
    assert "," not in dayname(later)


def test_daymonth_adds_the_year_only_when_it_differs():
    this_year = timezone.localdate().year
    assert daymonth(date(this_year, 12, 3)) == "3 Dec"
    assert daymonth(date(this_year + 1, 1, 9)) == f"9 Jan {this_year + 1}"


def test_is_future_and_isodate():
    today = timezone.localdate()
    assert is_future(today + timedelta(days=1)) is True
    assert is_future(today) is False
    assert isodate(date(2026, 11, 21)) == "2026-11-21"


# --- shows and seats ---------------------------------------------------------------------------
def _show(**kwargs):
    now = timezone.now()
    values = {"status": "on_sale", "starts_at": now + timedelta(hours=5), "booking_opens_at": None, "bookable": True}
    values.update(kwargs)
    bookable = values.pop("bookable")
    return SimpleNamespace(is_bookable=lambda: bookable, **values)


def test_booking_state():
    now = timezone.now()
    assert booking_state(_show()) == "open"
    assert booking_state(_show(status="sold_out", bookable=False)) == "sold_out"
    assert booking_state(_show(status="cancelled", bookable=False)) == "cancelled"
    assert booking_state(_show(bookable=False, booking_opens_at=now + timedelta(hours=1))) == "not_yet"
    assert booking_state(_show(bookable=False, starts_at=now - timedelta(minutes=5))) == "closed"


def test_seat_state_labels():
    assert seat_state_label("available") == "available"
    assert seat_state_label("held") == "on hold"
    assert seat_state_label("blocked") == "not for sale"


def test_seat_map_partial_draws_a_compiled_layout():
    layout = compile_layout(
        ["Prime", "Classic"],
        [
            RowSpec(label="A", seats=6, category="Classic", aisles_after="3", wheelchair="1", blocked="6"),
            RowSpec(label="B", seats=4, category="Prime", offset=1, walkway_before=True),
        ],
    )
    html = Template(
        '{% load marquee %}{% layout_seat_map layout as seat_map %}{% include "includes/seat_map.html" with seat_map=seat_map %}'
    ).render(Context({"layout": layout}))
    assert html.count('class="seat ') == 10
    assert 'data-label="A4"' in html and 'data-state="available"' in html
    assert 'data-label="A6" data-state="blocked"' in html
    assert 'aria-label="Seat A1, Classic, wheelchair space, available"' in html
    assert "seatrow--walkway" in html
    assert "Screen this way" in html
    assert html.count('class="gap"') >= 2  # the aisle after A3 and B's offset
    assert 'aria-label="Row B"' in html


def test_seat_rows_gives_each_seat_its_spoken_description():
    def seat(label, **kwargs):
        values = {"label": label, "number": int(label[1:]), "tier": 0, "category": "Prime", "price": Decimal("250")}
        return SimpleNamespace(**{**values, "wheelchair": False, "public_state": "available", **kwargs})

    f12, f13, f14 = seat("F12"), seat("F13", public_state="sold"), seat("F14", wheelchair=True, price=Decimal("1250.5"))
    html = seat_rows(SimpleNamespace(grid=[{"label": "F", "cells": [f12, None, f13, f14], "walkway": False}]))
    assert 'aria-label="Seat F12, Prime, ₹250.00, available"' in html
    assert 'aria-label="Seat F13, Prime, ₹250.00, sold"' in html
    assert 'aria-label="Seat F14, Prime, ₹1,250.50, wheelchair space, available"' in html
    assert html.count('class="gap"') == 1 and ">12</button>" in html and "#i-wheelchair" in html


def test_seat_rows_escapes_what_editors_typed():
    odd = SimpleNamespace(
        label='A"1', number=1, tier=0, category="<b>VIP</b>", price=None, wheelchair=False, public_state="available"
    )
    html = seat_rows(SimpleNamespace(grid=[{"label": "<i>A</i>", "cells": [odd], "walkway": False}]))
    assert "<b>" not in html and "<i>" not in html
    assert 'data-label="A&quot;1"' in html and "&lt;b&gt;VIP&lt;/b&gt;" in html
