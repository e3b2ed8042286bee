"""The registers and the GSTR-1 export: their totals reconcile with the sales report."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from tests.fixtures.checkout import signed_in
from tests.gst.conftest import MH_GSTIN
from tests.tickets.conftest import confirm
from ticketing.reports import gst_queries
from ticketing.reports.queries import sales_totals
from ticketing.services.cancellation import cancel_booking

pytestmark = pytest.mark.django_db
NOVEMBER = date(2026, 11, 1)


@pytest.fixture
def month_of_sales(paid, as_alice, alice, show, superuser):
    """Three paid bookings; one refunded in part (10% kept), one in full."""
    second = confirm(as_alice, alice, show, ["B1", "B2"])
    third = confirm(as_alice, alice, show, ["A4"])
    cancel_booking(second, destination="wallet", reason="Customer", fee_percent=Decimal("10"))
    cancel_booking(third, destination="wallet", reason="Projector", by=superuser)
    return [paid, second, third]


def test_gstr1_reconciles_with_the_sales_report(month_of_sales):
    sales = sales_totals(gst_queries.month_period(NOVEMBER))
    data = gst_queries.gstr1(MH_GSTIN, NOVEMBER)
    invoices, notes = data["invoice_totals"], data["credit_note_totals"]
    assert invoices["total"] == sales["total"]
    assert invoices["cgst"] + invoices["sgst"] + invoices["igst"] == sales["gst"]
    assert invoices["taxable_value"] == sales["gross"] - sales["discount"] + sales["fee"]
    assert notes["total"] == sales["refunded"]
    b2c_tax = sum((row["cgst"] + row["sgst"] + row["igst"] for row in data["b2c"]), Decimal("0"))
    assert b2c_tax == sales["gst"]  # no business invoice this month
    hsn_taxable = sum((row["taxable_value"] for row in data["hsn"]), Decimal("0"))
    assert hsn_taxable == invoices["taxable_value"] - notes["taxable_value"]
    assert {row["sac"] for row in data["hsn"]} == {"999615", "998599"}


def test_gstr1_csv(month_of_sales, superuser):
    response = signed_in(superuser).get(f"/admin/reports/gstr1.csv?gstin={MH_GSTIN}&month=2026-11")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["B2C (unregistered recipients)"] in rows and ["HSN/SAC summary (net of credit notes)"] in rows
    assert any(row[:1] == ["CNMH/26-27/00002"] for row in rows)


def test_registers_list_and_export(month_of_sales, superuser):
    client = signed_in(superuser)
    page = client.get("/admin/reports/invoices/?period_from=2026-11-01&period_to=2026-11-30")
    assert page.status_code == 200 and "MQMH/26-27/00003" in page.content.decode()
    exported = client.get("/admin/reports/credit_notes/?period_from=2026-11-01&period_to=2026-11-30&export=csv")
    assert exported.status_code == 200
    body = b"".join(exported.streaming_content).decode() if exported.streaming else exported.content.decode()
    assert "CNMH/26-27/00001" in body and "MQMH/26-27/00002" in body


def test_registers_need_the_reports_permission(month_of_sales, as_alice):
    assert as_alice.get("/admin/reports/invoices/").status_code in (302, 403)
    assert as_alice.get(f"/admin/reports/gstr1.csv?gstin={MH_GSTIN}").status_code in (302, 403)
