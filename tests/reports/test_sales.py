"""The sales report: every figure is the sum of the paid bookings it covers, whatever the
grouping, and nothing unpaid counts."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.reports.conftest import DAY1, DAY2, expected_sales
from ticketing.reports import queries
from ticketing.reports.queries import Period

pytestmark = pytest.mark.django_db

SALES = reverse("reports:sales")
FIGURES = ("bookings", "tickets", "gross", "discount", "fee", "gst", "total", "wallet", "gateway", "refunded", "net")


def figures(row):
    return {key: row[key] for key in FIGURES}


ALL_TIME = Period()


def rows(period=ALL_TIME, group="day", **scope):
    return queries.with_derived(queries.sales_rows(period, group, **scope))


def test_the_totals_are_the_sums_of_the_paid_bookings(history):
    paid = history.paid()
    totals = queries.sales_totals(Period())
    assert figures(totals) == expected_sales(paid)
    assert totals["bookings"] == 5 and totals["tickets"] == 7
    assert totals["wallet"] + totals["gateway"] == totals["total"]
    assert totals["total"] == Decimal("1935.20")
    # dave (₹542.80 back to the wallet) and erin (₹221.40 to the card + ₹50 to the wallet)
    assert totals["refunded"] == Decimal("814.20")


@pytest.mark.parametrize(
    "group,key,bookings_of",
    [
        ("day", "day", lambda b: b.confirmed_at.astimezone(DAY1.tzinfo).date()),
        ("movie", "movie_id", lambda b: b.show.movie_id),
        ("theater", "theater_id", lambda b: b.show.screen.theater_id),
        ("show", "show_pk", lambda b: b.show_id),
    ],
)
def test_each_row_is_the_sum_of_its_bookings(history, group, key, bookings_of):
    paid = history.paid()
    found = rows(group=group)
    assert len(found) == 2
    for row in found:
        mine = [b for b in paid if bookings_of(b) == row[key]]
        assert figures(row) == expected_sales(mine), row
    summed = {name: sum(row[name] for row in found) for name in FIGURES}
    assert summed == figures(queries.sales_totals(Period()))


def test_days_are_ist_days_and_the_period_filters_on_them(history):
    by_day = {row["day"]: row for row in rows()}
    assert set(by_day) == {date(2026, 11, 18), date(2026, 11, 19)}
    assert by_day[date(2026, 11, 18)]["bookings"] == 2  # alice and bob
    assert by_day[date(2026, 11, 18)]["discount"] == Decimal("20.00")  # TENOFF on bob's ₹200
    day2 = Period(DAY2.date(), DAY2.date())
    assert queries.sales_totals(day2)["bookings"] == 3
    assert queries.sales_totals(Period(date(2026, 11, 20), None))["bookings"] == 0


def test_the_movie_and_theater_scope(history):
    dune = history.dune
    totals = queries.sales_totals(Period(), movie=dune.movie)
    assert totals["bookings"] == 3
    assert totals == queries.sales_totals(Period(), theater=dune.screen.theater)
    assert [row["movie_title"] for row in rows(group="show", movie=dune.movie)] == ["Dune"]


def test_holds_pending_and_expired_bookings_never_count(history):
    from ticketing.models import Booking

    unpaid = Booking.objects.exclude(state__in=["confirmed", "cancelled", "refunded"])
    assert set(unpaid.values_list("state", flat=True)) == {"held", "payment_pending"}
    assert queries.sales_totals(Period())["bookings"] == Booking.objects.filter(confirmed_at__isnull=False).count() == 5


# --- the admin page --------------------------------------------------------------------------
def test_the_page_defaults_to_the_last_30_days_with_totals(client, finance, history):
    client.force_login(finance)
    response = client.get(SALES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Totals, Thu 22 Oct 2026 – Fri 20 Nov 2026" in html
    assert "Thu 19 Nov 2026" in html and "Wed 18 Nov 2026" in html
    assert "₹1,935.20" in html and "₹814.20" in html and "₹1,121.00" in html
    assert 'value="2026-10-22"' in html and 'value="2026-11-20"' in html
    assert [row["day"] for row in response.context["object_list"]] == [date(2026, 11, 19), date(2026, 11, 18)]


def test_grouping_by_movie_links_to_its_shows(client, finance, history):
    client.force_login(finance)
    response = client.get(SALES, {"group": "movie"})
    html = response.content.decode()
    assert [row["movie_title"] for row in response.context["object_list"]] == ["Arrival", "Dune"]
    assert f"group=show&amp;movie={history.dune.movie_id}" in html
    shows = client.get(SALES, {"group": "show", "movie": history.dune.movie_id})
    assert [row["show_pk"] for row in shows.context["object_list"]] == [history.dune.pk]
    assert "Sat 21 Nov 2026, 6:00 pm" in shows.content.decode()
    assert f"{reverse('bookings:index')}?show={history.dune.pk}" in shows.content.decode()


def test_an_old_period_is_empty_and_paginated(client, finance, history):
    client.force_login(finance)
    response = client.get(SALES, {"period_from": "2026-01-01", "period_to": "2026-01-31"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    paged = client.get(SALES, {"period_from": "", "period_to": "", "p": "2"})  # all time; page 2 is the last page
    assert paged.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"period_from": "2026-13-45", "period_to": "yesterday"},
        {"group": "galaxy"},
        {"theater": "not-a-number", "movie": "999999"},
        {"p": "-3"},
        {"p": "abc"},
        {"ordering": "password"},
        {"ordering": "-total"},
        {"export": "pdf"},
        {"period_from": "", "period_to": ""},
        {"period_from": "", "period_to": "", "theater": "abc", "group": "show"},
        {"period_from": "2026-11-30", "period_to": "2026-11-01"},
    ],
)
def test_bad_or_odd_input_never_breaks_the_page(client, finance, history, params):
    client.force_login(finance)
    assert client.get(SALES, params).status_code == 200
    assert client.get(reverse("reports:sales_results"), params).status_code == 200


def test_csv_export_has_every_row(client, finance, history):
    client.force_login(finance)
    response = client.get(SALES, {"export": "csv", "group": "theater"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert 'filename="sales-2026-11-20.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0][:4] == ["Theater", "Bookings", "Tickets", "Gross (INR)"]
    assert len(lines) == 3
    totals = {line[0]: line for line in lines[1:]}
    dune_theater = history.dune.screen.theater.title
    assert totals[dune_theater][1:3] == ["3", "4"]
    assert sum(Decimal(line[lines[0].index("Net (INR)")]) for line in lines[1:]) == Decimal("1121.00")


def test_xlsx_export_has_every_row(client, finance, history):
    client.force_login(finance)
    response = client.get(SALES, {"export": "xlsx", "group": "show"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = list(sheet.values)
    assert table[0][:5] == ("Show", "Movie", "Theater", "Screen", "Bookings")
    assert [(row[1], str(row[0])) for row in table[1:]] == [("Dune", "2026-11-21 18:00:00"), ("Arrival", "2026-11-22 18:00:00")]
    total = table[0].index("Total (INR)")
    assert sum(Decimal(str(row[total])) for row in table[1:]) == Decimal("1935.20")


def test_a_sale_belongs_to_its_ist_day_at_midnight(history):
    from tests.factories import local_dt
    from tests.reports.conftest import more_sales

    more_sales(history.dune, local_dt(2026, 11, 19, 23, 59), 1, start=1)  # 18:29 UTC on the 19th
    more_sales(history.dune, local_dt(2026, 11, 20, 0, 1), 1, start=2)  # 18:31 UTC, still the 19th in UTC
    by_day = {row["day"]: row["bookings"] for row in rows()}
    assert by_day[date(2026, 11, 19)] == 4 and by_day[date(2026, 11, 20)] == 1
    assert queries.sales_totals(Period(date(2026, 11, 20), date(2026, 11, 20)))["bookings"] == 1
    assert queries.sales_totals(Period(date(2026, 11, 19), date(2026, 11, 19)))["bookings"] == 4
