"""Complimentary tickets: a counter supervisor gives seats free, with a reason. quote() prices
them at zero (no consideration: no GST, no tax invoice); they take no money in the cash-up, are
counted apart in the Z-report, the sales report and the dashboard, and go in the audit log.
Staff without ``ticketing.supervise_counter`` are refused (403) and nothing is written."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import ModelLogEntry

from home.roles import BOX_OFFICE
from tests.counter.conftest import TOTAL_A1_A2, sell_cash, signed_in, staff_in
from tests.factories import make_concession
from ticketing.errors import BookingError, NotAllowed
from ticketing.models import Booking, CounterSale, CreditNote, Invoice, Refund, SeatState, ShowSeat
from ticketing.reports import queries
from ticketing.services import counter_sales, counter_shifts

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(db):
    """A box office lead: sells at the counter and supervises it."""
    user = staff_in(BOX_OFFICE, "lead")
    user.user_permissions.add(Permission.objects.get(codename="supervise_counter"))
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def lead_shift(lead):
    return counter_shifts.open_shift(lead, "Counter 2", "1000.00")


def comp(by, show, seats=("A1", "A2"), **kwargs):
    kwargs.setdefault("reason", "Press screening guest")
    return counter_sales.sell_at_counter(by, show.pk, list(seats), method="complimentary", **kwargs)


def post(client, body):
    return client.post("/api/counter/sales", body, content_type="application/json")


def comp_body(show, seats=("A1", "A2"), **payment):
    return {"show": show.pk, "seats": list(seats), "payment": {"method": "complimentary", "reason": "Critic", **payment}}


def test_comp_is_priced_at_zero_and_not_invoiced(lead, lead_shift, show):
    from cinema.models import TheaterPage
    from tests.gst.conftest import make_entity

    TheaterPage.objects.filter(pk=show.screen.theater_id).update(legal_entity=make_entity())
    result = comp(lead, show)
    booking = result.booking
    assert (booking.state, booking.total, booking.payment_mode) == ("confirmed", Decimal("0.00"), "complimentary")
    breakdown = booking.price_breakdown
    assert breakdown["complimentary"] is True and breakdown["face_value"] == "400.00"
    assert (breakdown["total"], breakdown["fee"], breakdown["taxes"]) == ("0.00", "0.00", [])
    assert sorted(t.seat_label for t in result.tickets) == ["A1", "A2"]
    assert set(ShowSeat.objects.filter(show=show, label__in=["A1", "A2"]).values_list("state", flat=True)) == {SeatState.SOLD}
    assert not Invoice.objects.filter(booking=booking).exists()  # no consideration, no supply to invoice
    sale = CounterSale.objects.get(booking=booking)
    assert (sale.method, sale.total, sale.tendered, sale.change_due, sale.comp_reason) == (
        "complimentary",
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        "Press screening guest",
    )
    entry = ModelLogEntry.objects.get(action="counter.complimentary", object_id=str(booking.pk))
    assert entry.user_id == lead.pk and entry.data["reason"] == "Press screening guest"
    assert entry.data["face_value"] == "400.00" and entry.data["seats"] == ["A1", "A2"]
    paid = sell_cash(lead, show, ["A3"], tendered="300.00").booking
    assert Invoice.objects.get(booking=paid).number == "MQMH/26-27/00001"  # comps take no number


def test_comp_is_not_cash_in_the_cash_up(lead, lead_shift, show):
    comp(lead, show)
    sell_cash(lead, show, ["A3", "A4"])
    totals = counter_shifts.shift_totals(lead_shift)
    assert totals.takings == {"cash": TOTAL_A1_A2, "upi": Decimal("0.00"), "card": Decimal("0.00")}
    assert totals.expected_cash == Decimal("1000.00") + TOTAL_A1_A2
    assert totals.as_api()["complimentary"] == {"sales": 1, "tickets": 2} and totals.sales == 2
    shift, closed = counter_shifts.close_shift(lead, lead_shift.pk, "1542.80")
    assert shift.variance == Decimal("0.00") and shift.summary["complimentary"] == {"sales": 1, "tickets": 2}
    html = signed_in(lead).get(f"/admin/counter/shifts/{shift.pk}/z-report/").content.decode()
    assert "Complimentary (no money, not in the cash)" in html and "2 tickets in 1 sale" in html
    assert "Press screening guest" in html


def test_only_supervisors_give_comps(seller, shift, show):
    with pytest.raises(NotAllowed) as refused:
        comp(seller, show)
    assert refused.value.status == 403 and "supervisor" in refused.value.message
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reason": ""}, "Give a reason"),
        ({"reason": "x" * 256}, "up to 255 characters"),
        ({"items": [("POP-L", 1)]}, "Only tickets can be complimentary"),
        ({"promo_code": "FLAT50"}, "promo code does not apply"),
    ],
)
def test_comp_refusals_write_nothing(lead, lead_shift, show, kwargs, message):
    make_concession()
    with pytest.raises(BookingError) as refused:
        comp(lead, show, **kwargs)
    assert refused.value.status == 400 and message in refused.value.message
    assert not Booking.objects.exists() and not CounterSale.objects.exists()


def test_voiding_a_comp_refunds_nothing(lead, lead_shift, show):
    booking = comp(lead, show).booking
    voided = counter_sales.void_sale(lead, booking.reference, "Guest did not come")
    assert voided.state == "cancelled"
    assert not Refund.objects.exists() and not CreditNote.objects.exists()
    assert set(ShowSeat.objects.filter(show=show, label__in=["A1", "A2"]).values_list("state", flat=True)) == {"available"}
    totals = counter_shifts.shift_totals(lead_shift)
    assert totals.as_api()["complimentary"] == {"sales": 1, "tickets": 0} and totals.expected_cash == Decimal("1000.00")


def test_api_comp_and_its_refusals(lead, lead_shift, seller, shift, show):
    refused = post(signed_in(seller), comp_body(show))
    assert refused.status_code == 403 and "supervisor" in refused.json()["detail"]
    no_reason = post(signed_in(lead), comp_body(show, reason=""))
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["detail"]
    assert not Booking.objects.exists()
    response = post(signed_in(lead), comp_body(show))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["total"], body["change_due"], len(body["tickets"])) == ("confirmed", "0.00", "0.00", 2)
    current = signed_in(lead).get("/api/counter/shifts/current").json()
    assert current["complimentary"] == {"sales": 1, "tickets": 2}
    assert current["totals"] == {"cash": "0.00", "upi": "0.00", "card": "0.00"} and current["expected_cash"] == "1000.00"
    void = signed_in(lead).post(
        f"/api/counter/sales/{body['reference']}/void", {"reason": "Wrong guest"}, content_type="application/json"
    )
    assert void.status_code == 200 and void.json() == {"reference": body["reference"], "state": "cancelled", "refunded": "0.00"}


def test_reports_count_comps_apart_with_zero_revenue(lead, lead_shift, show, supervisor):
    comp(lead, show)
    sell_cash(lead, show, ["A3", "A4"])
    rows = queries.with_derived(queries.sales_rows(queries.Period.last_days(30), "channel"))
    figures = {(r["method_code"]): (r["bookings"], r["tickets"], r["comps"], r["total"], r["gst"]) for r in rows}
    assert figures == {
        "cash": (1, 2, 0, TOTAL_A1_A2, Decimal("82.80")),
        "complimentary": (1, 2, 2, Decimal("0.00"), Decimal("0.00")),
    }
    totals = queries.sales_totals(queries.Period.last_days(30))
    assert (totals["tickets"], totals["comps"], totals["total"], totals["counter"]) == (4, 2, TOTAL_A1_A2, TOTAL_A1_A2)
    page = signed_in(supervisor).get("/admin/reports/sales/?group=channel").content.decode()
    assert "Of which comps" in page and "Complimentary" in page
    dashboard = signed_in(supervisor).get("/admin/").content.decode()
    assert "Comp tickets" in dashboard


def test_counter_page_offers_comps_to_supervisors_only(lead, lead_shift, seller, shift, show):
    url = f"/admin/counter/shows/{show.pk}/"
    assert 'value="complimentary"' not in signed_in(seller).get(url).content.decode()
    refused = signed_in(seller).post(url, {"action": "sell", "seats": "A5", "method": "complimentary"})
    assert refused.status_code == 400 and not Booking.objects.exists()  # not a choice for a seller
    page = signed_in(lead).get(url).content.decode()
    assert 'value="complimentary"' in page and "Reason for complimentary tickets" in page
    preview = signed_in(lead).post(url, {"action": "price", "seats": "A5 A6", "method": "complimentary"}).content.decode()
    assert "Total <strong>₹0.00</strong>" in preview
    missing = signed_in(lead).post(url, {"action": "sell", "seats": "A5", "method": "complimentary", "reason": ""})
    assert missing.status_code == 400 and "Give a reason" in missing.content.decode()
    sold = signed_in(lead).post(url, {"action": "sell", "seats": "A5", "method": "complimentary", "reason": "Manager's guest"})
    assert sold.status_code == 302
    booking = Booking.objects.get()
    assert booking.total == Decimal("0.00") and booking.counter_sale.comp_reason == "Manager's guest"
    slip = signed_in(lead).get(f"/admin/counter/sales/{booking.reference}/tickets/").content.decode()
    assert "Complimentary · no charge" in slip


def test_shifts_report_counts_comps(lead, lead_shift, show, supervisor):
    comp(lead, show)
    sell_cash(lead, show, ["A3", "A4"])
    (row,) = queries.shift_rows(queries.Period.last_days(1))
    assert (row["sales"], row["comps"]) == (2, 1)
    assert "Complimentary sales" in signed_in(supervisor).get("/admin/reports/shifts/").content.decode()
