"""Gift cards: every card issued in the period with who bought it, for whom, and whether it was
redeemed; totals issued, redeemed, refunded and outstanding (CSV/XLSX of every row)."""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column

from core.formatting import showdatetime
from core.money import format_inr
from ticketing.models import GiftCardState
from ticketing.permissions import REFUND_GIFT_CARD
from ticketing.reports import filters
from ticketing.reports.gift_card_queries import gift_card_rows, gift_card_totals
from ticketing.reports.queries import money_row
from ticketing.reports.views.base import MONEY_HEADING, FinanceReportView, ValueColumn


class GiftCardFilterSet(filters.ReportFilterSet):
    default_days = 90
    period = filters.period_filter("Issued between")
    state = django_filters.ChoiceFilter(label="Status", choices=GiftCardState.choices[1:], method=filters._keep)


def _when(value) -> str:
    return showdatetime(value) if value else ""


class GiftCardReportView(FinanceReportView):
    page_title = "Gift cards"
    header_icon = "tag"
    url_name = "reports:gift_cards"
    filterset_class = GiftCardFilterSet
    export_filename = "gift-cards"
    list_export = ["reference", "issued", "buyer", "recipient", "amount", "state", "redeemed_at", "redeemed_by_email", "refunded_at", "code_ends"]  # fmt: skip
    export_headings = {
        "reference": "Purchase",
        "issued": "Issued",
        "buyer": "Bought by",
        "recipient": "For",
        "amount": "Amount" + MONEY_HEADING,
        "state": "Status",
        "redeemed_at": "Redeemed",
        "redeemed_by_email": "Redeemed by",
        "refunded_at": "Refunded",
        "code_ends": "Code ends",
    }

    def row_names(self):
        return ("gift card", "gift cards")

    def get_rows(self):
        return gift_card_rows(self.period, self.filters.form.cleaned_data.get("state") if self.filters.form.is_valid() else None)

    def decorate(self, row):
        row = money_row(row)
        row["recipient"] = " · ".join(filter(None, [row["recipient_email"], row["recipient_phone"]]))
        row["state"] = GiftCardState(row["state_code"]).label
        if self.is_export:
            for key in ("issued", "redeemed_at", "refunded_at"):
                row[key] = _when(row[key])
        elif row["state_code"] == GiftCardState.ISSUED and self.request.user.has_perm(REFUND_GIFT_CARD):
            row["refund_url"] = reverse("gift_card_refund", args=[row["reference"]])
        return row

    @cached_property
    def columns(self):
        return [
            Column("reference", label="Purchase", sort_key="reference"),
            ValueColumn("issued", _when, label="Issued", sort_key="issued"),
            Column("buyer", label="Bought by"),
            Column("recipient", label="For"),
            ValueColumn("amount", format_inr, label="Amount", sort_key="amount"),
            Column("state", label="Status", sort_key="state_code"),
            ValueColumn("redeemed_at", _when, label="Redeemed"),
            Column("redeemed_by_email", label="Redeemed by"),
            Column("code_ends", label="Code ends"),
            RefundColumn("refund", label=""),
        ]

    def get_totals(self):
        totals = gift_card_totals(self.period)
        return [
            (f"{label} in the period", f"{totals[key][0]} · {format_inr(totals[key][1])}")
            for key, label in (("issued", "Issued"), ("redeemed", "Redeemed"), ("refunded", "Refunded"))
        ] + [("Outstanding now (not yet redeemed)", f"{totals['outstanding'][0]} · {format_inr(totals['outstanding'][1])}")]


class RefundColumn(Column):
    """A link to refund an issued card, for those who may."""

    cell_template_name = "ticketing/reports/gift_card_refund_cell.html"

    def get_value(self, instance):
        return instance.get("refund_url")
