"""Occupancy per show, the wallet ledger summary and promo code usage, each checked against
the rows it summarises."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from tests.factories import make_customer, make_promo
from ticketing.models import SeatState, ShowSeat
from ticketing.reports import queries
from ticketing.reports.queries import Period
from ticketing.services.holds import hold_seats
from wallet.models import Wallet, WalletTransaction

pytestmark = pytest.mark.django_db

SHOW_DAYS = Period(date(2026, 11, 21), date(2026, 11, 22))


# --- occupancy -------------------------------------------------------------------------------
def by_show(rows):
    return {row["show_id"]: row for row in rows}


def test_occupancy_counts_each_shows_seats(history):
    dune, arrival = history.dune, history.arrival
    ShowSeat.objects.filter(show=dune, label="B10").update(state=SeatState.BLOCKED)
    hold_seats(make_customer(username="ivy", email="ivy@example.com"), dune, ["B2", "B3"])  # a live hold
    rows = by_show(queries.occupancy_rows(SHOW_DAYS))
    # Dune: alice A1 A2 + carol B1 sold (erin's A5 went back on sale); finn's and gus's holds ran out.
    assert {k: rows[dune.pk][k] for k in ("seats_total", "sold", "held", "blocked", "available")} == {
        "seats_total": 20,
        "sold": 3,
        "held": 2,
        "blocked": 1,
        "available": 14,
    }
    assert rows[dune.pk]["occupancy"] == pytest.approx(3 * 100 / 19)
    assert (rows[arrival.pk]["sold"], rows[arrival.pk]["held"], rows[arrival.pk]["available"]) == (1, 0, 19)
    for show_id, row in rows.items():
        states = ShowSeat.objects.filter(show_id=show_id)
        assert row["seats_total"] == states.count()
        assert row["sold"] == states.filter(state=SeatState.SOLD).count()
    totals = queries.occupancy_totals(SHOW_DAYS)
    assert (totals["shows"], totals["seats_total"], totals["sold"], totals["held"], totals["available"]) == (2, 40, 4, 2, 33)


def test_occupancy_filters_by_date_and_theater(history):
    assert list(by_show(queries.occupancy_rows(Period(date(2026, 11, 22), date(2026, 11, 22))))) == [history.arrival.pk]
    theater = history.dune.screen.theater
    assert list(by_show(queries.occupancy_rows(SHOW_DAYS, theater=theater))) == [history.dune.pk]


def test_occupancy_page_defaults_to_the_coming_week(client, finance, history):
    client.force_login(finance)
    response = client.get(reverse("reports:occupancy"))
    html = response.content.decode()
    assert "Totals, Fri 20 Nov 2026 – Thu 26 Nov 2026" in html
    assert [row["show_id"] for row in response.context["object_list"]] == [history.dune.pk, history.arrival.pk]
    assert "15.0 %" in html and "5.0 %" in html
    theater = history.arrival.screen.theater
    only = client.get(reverse("reports:occupancy"), {"theater": theater.pk})
    assert [row["show_id"] for row in only.context["object_list"]] == [history.arrival.pk]
    csv_text = b"".join(client.get(reverse("reports:occupancy"), {"export": "csv"}).streaming_content).decode()
    assert (
        csv_text.splitlines()[1] == f"2026-11-21 18:00,Dune,{history.dune.screen.theater.title},Screen 1,On sale,20,3,0,17,0,15.0"
    )


# --- the wallet ledger -----------------------------------------------------------------------
def test_ledger_summary_equals_the_ledgers_sums(history):
    per_kind = {row["kind_code"]: row for row in queries.ledger_rows(Period(), "kind")}
    for kind, row in per_kind.items():
        rows = WalletTransaction.objects.filter(kind=kind)
        assert row["rows"] == rows.count()
        assert row["net"] == rows.aggregate(s=Sum("amount"))["s"]
    assert set(per_kind) == {"credit", "booking_payment", "refund"}
    assert per_kind["refund"]["net"] == Decimal("592.80")  # dave 542.80 + erin's wallet part 50
    assert per_kind["booking_payment"]["money_out"] == Decimal("-1235.60")

    per_day = {row["day"]: row for row in queries.ledger_rows(Period(), "day")}
    assert per_day[date(2026, 11, 18)]["rows"] == 2  # alice's top-up and payment
    assert per_day[date(2026, 11, 18)]["net"] == Decimal("457.20")
    day_kind = list(queries.ledger_rows(Period(), "day_kind"))
    assert sum(row["rows"] for row in day_kind) == WalletTransaction.objects.count()

    totals = queries.ledger_totals(Period())
    assert totals["net"] == sum(row["net"] for row in per_kind.values())
    balance = queries.outstanding_balance()
    assert balance["outstanding"] == Wallet.objects.aggregate(s=Sum("balance"))["s"] == balance["ledger_sum"]
    assert balance["outstanding"] == totals["net"]  # the whole ledger is in the period


def test_ledger_page_and_export(client, finance, history):
    client.force_login(finance)
    response = client.get(reverse("reports:ledger"), {"group": "day_kind"})
    html = response.content.decode()
    assert "Outstanding balance now" in html and "₹1,507.20" in html
    assert "Booking payment" in html and "Wed 18 Nov 2026" in html
    assert "do not match" not in html
    text = b"".join(client.get(reverse("reports:ledger"), {"export": "csv"}).streaming_content).decode()
    assert text.splitlines()[0] == "Kind,Rows,Money in (INR),Money out (INR),Net (INR)"
    assert "Refund,2,592.80,0.00,592.80" in text.splitlines()


# --- promo codes -----------------------------------------------------------------------------
def test_promo_usage(history):
    make_promo(code="NOBODY")
    rows = {row["code"]: row for row in queries.promo_rows(Period())}
    assert (rows["TENOFF"]["uses"], rows["TENOFF"]["discount"], rows["TENOFF"]["revenue"]) == (
        1,
        Decimal("20.00"),
        Decimal("247.80"),
    )
    assert (rows["NOBODY"]["uses"], rows["NOBODY"]["revenue"]) == (0, Decimal("0"))
    assert [row["code"] for row in queries.promo_rows(Period(), used_only=True)] == ["TENOFF"]
    assert [row["uses"] for row in queries.promo_rows(Period(date(2026, 11, 19), None))] == [0, 0]
    totals = queries.promo_totals(Period())
    assert (totals["uses"], totals["discount"], totals["revenue"], totals["net"]) == (
        1,
        Decimal("20.00"),
        Decimal("247.80"),
        Decimal("247.80"),
    )


def test_a_refunded_promo_booking_shows_its_refund(history):
    from tests.reports.conftest import cancel

    cancel(history.bookings["bob"], "wallet")
    row = next(row for row in queries.promo_rows(Period()) if row["code"] == "TENOFF")
    assert (row["uses"], row["refunded"], row["net"]) == (1, Decimal("247.80"), Decimal("0"))
    assert queries.promo_totals(Period())["refunded"] == Decimal("247.80")


def test_promo_page(client, finance, history):
    client.force_login(finance)
    html = client.get(reverse("reports:promos")).content.decode()
    assert "TENOFF" in html and "10 % off" in html and "₹20.00" in html and "₹247.80" in html
    text = b"".join(client.get(reverse("reports:promos"), {"export": "csv"}).streaming_content).decode()
    assert text.splitlines()[1] == "TENOFF,10 % off,True,1,20.00,247.80,0.00,247.80"
