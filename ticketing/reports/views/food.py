"""Food and drinks sales: by item, theater or day, with the attach rate and the stock left."""

from __future__ import annotations

from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column

from core.formatting import showdate
from core.money import format_inr
from ticketing.reports import filters
from ticketing.reports.food import food_rows, food_totals, stock_left
from ticketing.reports.queries import money_row
from ticketing.reports.views.base import FinanceReportView, ValueColumn

GROUP_COLUMNS = {
    "item": [("sku_code", "SKU"), ("item_name", "Item")],
    "theater": [("theater_title", "Theater")],
    "day": [("day", "Day")],
}


class FoodSalesReportView(FinanceReportView):
    page_title = "Food and drinks"
    header_icon = "pick"
    url_name = "reports:food"
    filterset_class = filters.FoodSalesFilterSet
    export_filename = "food-sales"

    @cached_property
    def group(self) -> str:
        return self.filters.group()

    @cached_property
    def theater(self):
        return self.filters.value("theater")

    @property
    def list_export(self):
        return [key for key, _ in GROUP_COLUMNS[self.group]] + ["quantity", "amount", "bookings"]

    @property
    def export_headings(self):
        return {**dict(GROUP_COLUMNS[self.group]), "quantity": "Items", "amount": "Sold before GST (INR)", "bookings": "Bookings"}

    def row_names(self):
        return {"item": ("item", "items"), "theater": ("theater", "theaters"), "day": ("day", "days")}[self.group]

    def get_rows(self):
        return food_rows(self.period, self.group, self.theater)

    def decorate(self, row):
        return money_row(row)

    @cached_property
    def columns(self):
        keys = [
            ValueColumn(key, showdate, label=label) if key == "day" else Column(key, label=label)
            for key, label in GROUP_COLUMNS[self.group]
        ]
        return [
            *keys,
            Column("quantity", label="Items", sort_key="quantity"),
            ValueColumn("amount", format_inr, label="Sold before GST", sort_key="amount"),
            Column("bookings", label="Bookings"),
        ]

    def get_totals(self):
        totals = food_totals(self.period, self.theater)
        left = ", ".join(f"{s.item.sku} at {s.theater.title}: {s.quantity}" for s in stock_left(self.theater)) or "not counted"
        return [
            ("Items", str(totals["quantity"])),
            ("Sold before GST", format_inr(totals["amount"])),
            ("Attach rate (items per ticket)", f"{totals['attach_rate']}"),
            ("Stock left", left),
        ]
