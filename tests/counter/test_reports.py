"""Counter sales in the finance reports: the sales report splits online and counter and by
payment method, and supervisors get a report of every shift with its variance."""

from decimal import Decimal

import pytest

from tests.counter.conftest import TOTAL_A1_A2, sell_cash, signed_in
from tests.factories import make_customer
from ticketing.reports import queries
from ticketing.services import counter_sales, counter_shifts
from ticketing.services.checkout import start_checkout
from ticketing.services.holds import hold_seats
from wallet import services as wallet

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales(seller, shift, show):
    """One online booking paid from the wallet, one cash and one UPI sale at the counter."""
    customer = make_customer(username="carol", email="carol@example.com")
    wallet.credit(customer, Decimal("1000"), reason="Test credit")
    start_checkout(hold_seats(customer, show, ["B1"]).booking, use_wallet=True)
    sell_cash(seller, show, ["A1", "A2"])
    counter_sales.sell_at_counter(seller, show.pk, ["A3"], method="upi", reference="UPI0001")


def test_totals_reconcile_with_the_counter(sales):
    totals = queries.sales_totals(queries.Period.last_days(30))
    assert totals["counter"] == TOTAL_A1_A2 + Decimal("271.40")
    assert totals["wallet"] + totals["gateway"] + totals["counter"] == totals["total"]


def test_sales_by_channel_and_method(sales, supervisor):
    rows = queries.with_derived(queries.sales_rows(queries.Period.last_days(30), "channel"))
    assert [(r["channel_code"], r["method_code"], r["bookings"]) for r in rows] == [
        ("counter", "cash", 1),
        ("counter", "upi", 1),
        ("online", "wallet", 1),
    ]
    page = signed_in(supervisor).get("/admin/reports/sales/?group=channel").content.decode()
    assert "Box office counter" in page and "UPI" in page and "Online" in page


def test_shifts_report_is_for_supervisors(sales, seller, shift, supervisor):
    counter_shifts.close_shift(seller, shift.pk, "2540.00")
    page = signed_in(supervisor).get("/admin/reports/shifts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Counter 1" in html and "−₹2.80" in html and f"/admin/counter/shifts/{shift.pk}/z-report/" in html
    assert signed_in(seller).get("/admin/reports/shifts/").status_code == 403
    export = signed_in(supervisor).get("/admin/reports/shifts/?export=csv")
    assert export.status_code == 200 and b"Variance (INR)" in b"".join(export.streaming_content)


def test_the_dashboard_splits_online_and_counter(sales, supervisor):
    html = signed_in(supervisor).get("/admin/").content.decode()
    assert "At the counter" in html and "₹814.20" in html
