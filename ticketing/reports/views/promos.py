"""Promo code usage: how often each code was used on paid bookings, and what it cost and earned."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, TitleColumn

from core.money import format_inr
from ticketing.permissions import CHANGE_PROMO_CODES
from ticketing.reports import filters, queries
from ticketing.reports.queries import money_row
from ticketing.reports.views.base import FinanceReportView, ValueColumn, export_headings

PROMO_FIGURES = [
    ("uses", "Uses", str),
    ("discount", "Discount granted", format_inr),
    ("revenue", "Revenue", format_inr),
    ("refunded", "Refunded", format_inr),
    ("net", "Net", format_inr),
]


def promo_offer(row: dict) -> str:
    if row["kind"] == "percent":
        return f"{row['value'].normalize():f} % off"
    return f"{format_inr(row['value'])} off"


class PromoUsageReportView(FinanceReportView):
    page_title = "Promo code usage"
    header_icon = "tag"
    url_name = "reports:promos"
    filterset_class = filters.PromoUsageFilterSet
    export_filename = "promo-usage"
    list_export = ["code", "offer", "active", *(key for key, _, _ in PROMO_FIGURES)]
    export_headings = {
        "code": "Code",
        "offer": "Offer",
        "active": "Active",
        **export_headings(PROMO_FIGURES),
    }

    def row_names(self):
        return ("promo code", "promo codes")

    def get_rows(self):
        return queries.promo_rows(self.period, used_only=bool(self.filters.value("used_only")))

    def decorate(self, row):
        row = money_row(row)
        row["offer"] = promo_offer(row)
        return row

    @cached_property
    def columns(self):
        return [
            TitleColumn("code", label="Code", sort_key="code", get_url=self.promo_url()),
            Column("offer", label="Offer"),
            ValueColumn("active", lambda active: "Yes" if active else "No", label="Active"),
            *(ValueColumn(key, fmt, label=label, sort_key=key) for key, label, fmt in PROMO_FIGURES),
        ]

    def promo_url(self):
        if not self.request.user.has_perm(CHANGE_PROMO_CODES):
            return None
        return lambda row: reverse("wagtailsnippets_ticketing_promocode:edit", args=[row["promo_id"]])

    def get_totals(self):
        totals = queries.promo_totals(self.period)
        return [(label, fmt(totals[key])) for key, label, fmt in PROMO_FIGURES]
