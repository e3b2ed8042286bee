"""The wallet ledger summed per kind and per day, beside what the wallets hold now."""

from __future__ import annotations

from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column

from core.formatting import showdate
from core.money import format_inr
from ticketing.reports import filters, queries
from ticketing.reports.queries import money_row
from ticketing.reports.views.base import FinanceReportView, ValueColumn, export_headings
from wallet.models import TransactionKind

LEDGER_FIGURES = [
    ("rows", "Rows", str),
    ("money_in", "Money in", format_inr),
    ("money_out", "Money out", format_inr),
    ("net", "Net", format_inr),
]


def kind_label(code: str) -> str:
    try:
        return TransactionKind(code).label
    except ValueError:
        return code


class LedgerSummaryReportView(FinanceReportView):
    page_title = "Wallet ledger summary"
    header_icon = "list-ul"
    url_name = "reports:ledger"
    filterset_class = filters.LedgerSummaryFilterSet
    export_filename = "wallet-ledger-summary"

    @cached_property
    def group(self) -> str:
        return self.filters.group()

    def get_rows(self):
        return queries.ledger_rows(self.period, self.group)

    def decorate(self, row):
        row = money_row(row)
        if "kind_code" in row:
            row["kind"] = kind_label(row["kind_code"])
        return row

    def label_keys(self):
        return {"kind": ["kind"], "day": ["day"], "day_kind": ["day", "kind"]}[self.group]

    @property
    def list_export(self):
        return [*self.label_keys(), *(key for key, _, _ in LEDGER_FIGURES)]

    @property
    def export_headings(self):
        return {"day": "Day", "kind": "Kind", **export_headings(LEDGER_FIGURES)}

    @cached_property
    def columns(self):
        labels = {
            "day": ValueColumn("day", showdate, label="Day", sort_key="day"),
            "kind": Column("kind", label="Kind", sort_key="kind_code"),
        }
        return [
            *(labels[key] for key in self.label_keys()),
            *(ValueColumn(key, fmt, label=label, sort_key=key) for key, label, fmt in LEDGER_FIGURES),
        ]

    def get_totals(self):
        totals = queries.ledger_totals(self.period)
        balance = queries.outstanding_balance()
        summary = [(f"{label} in the period", fmt(totals[key])) for key, label, fmt in LEDGER_FIGURES]
        summary += [
            ("Outstanding balance now", format_inr(balance["outstanding"])),
            ("Wallets in credit", str(balance["wallets_in_credit"])),
            ("Whole ledger's sum", format_inr(balance["ledger_sum"])),
        ]
        if balance["outstanding"] != balance["ledger_sum"]:
            summary.append(("Warning", "The wallets' balances do not match the ledger: tell the developers."))
        return summary
