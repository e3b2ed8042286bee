"""Counter shifts for supervisors: who worked which counter, the float, the cash expected and
counted, and the variance; each row opens the shift's Z-report."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, TitleColumn

from core.admin_kit import local_time_cell
from core.formatting import showdatetime
from core.money import format_inr
from ticketing.models import ShiftState
from ticketing.permissions import SUPERVISE_COUNTER
from ticketing.reports import filters, queries
from ticketing.reports.views.base import FinanceReportView, ValueColumn, export_headings

SHIFT_FIGURES = [
    ("sales", "Sales", str),
    ("opening_float", "Float", format_inr),
    ("expected_cash", "Expected cash", format_inr),
    ("counted", "Counted", format_inr),
    ("variance", "Variance", format_inr),
    ("comps", "Complimentary sales", str),  # in Sales too; no money
]
SHIFT_LABELS = [
    ("opened_at", "Opened"),
    ("closed_at", "Closed"),
    ("counter", "Counter"),
    ("staff_name", "Staff"),
    ("state", "State"),
]


class ShiftsReportView(FinanceReportView):
    admin_permission = SUPERVISE_COUNTER
    page_title = "Counter shifts"
    header_icon = "tag"
    url_name = "reports:shifts"
    filterset_class = filters.ShiftsFilterSet
    export_filename = "counter-shifts"

    def row_names(self):
        return ("shift", "shifts")

    def get_rows(self):
        return queries.shift_rows(self.period)

    def decorate(self, row):
        row = queries.money_row(row)
        row["state"] = ShiftState(row["state"]).label
        return row

    @property
    def list_export(self):
        return [key for key, _ in SHIFT_LABELS] + [key for key, _, _ in SHIFT_FIGURES]

    @property
    def export_headings(self):
        return {**dict(SHIFT_LABELS), **export_headings(SHIFT_FIGURES)}

    def preprocess_field_value(self, field, value, export_format):
        if field in ("opened_at", "closed_at") and value is not None:
            return local_time_cell(value, export_format, self.FORMAT_XLSX)
        return super().preprocess_field_value(field, value, export_format)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "opened_at",
                label="Opened",
                sort_key="opened_at",
                accessor=lambda row: showdatetime(row["opened_at"]),
                get_url=lambda row: reverse("counter:z_report", args=[row["shift_id"]]),
            ),
            ValueColumn("closed_at", showdatetime, label="Closed", sort_key="closed_at"),
            Column("counter", label="Counter", sort_key="counter"),
            Column("staff_name", label="Staff", sort_key="staff_name"),
            Column("state", label="State"),
            *(ValueColumn(key, fmt, label=label, sort_key=key) for key, label, fmt in SHIFT_FIGURES),
        ]
