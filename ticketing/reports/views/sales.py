"""Sales by day, movie, theater or show: what was sold, discounted, taxed, taken and refunded."""

from __future__ import annotations

from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, TitleColumn

from core.admin_kit import local_time_cell
from core.formatting import showdate, showdatetime
from core.money import format_inr
from ticketing.models import BookingChannel, CounterMethod, PaymentMode
from ticketing.reports import filters, queries
from ticketing.reports.views.base import FinanceReportView, ValueColumn, bookings_of_show, export_headings

SALES_FIGURES = [
    ("bookings", "Bookings", str),
    ("tickets", "Tickets", str),
    ("gross", "Gross", format_inr),
    ("discount", "Discounts", format_inr),
    ("fee", "Fees", format_inr),
    ("gst", "GST", format_inr),
    ("total", "Total", format_inr),
    ("wallet", "Wallet", format_inr),
    ("gateway", "Gateway", format_inr),
    ("counter", "Counter", format_inr),
    ("refunded", "Refunds", format_inr),
    ("net", "Net", format_inr),
    ("comps", "Of which comps", str),  # complimentary tickets (in Tickets); last, so older exports keep their columns
]
SALES_LABELS = {
    "day": [("day", "Day")],
    "movie": [("movie_title", "Movie")],
    "theater": [("theater_title", "Theater")],
    "show": [("starts_at", "Show"), ("movie_title", "Movie"), ("theater_title", "Theater"), ("screen_name", "Screen")],
    "channel": [("channel", "Channel"), ("method", "Paid by")],
}


def channel_labels(channel: str, method: str | None) -> tuple[str, str]:
    """("Box office counter", "Cash") or ("Online", "Wallet + gateway")."""
    choices = CounterMethod if channel == BookingChannel.COUNTER else PaymentMode
    try:
        paid_by = choices(method).label
    except ValueError:
        paid_by = method or "—"
    try:
        return BookingChannel(channel).label, paid_by
    except ValueError:
        return channel, paid_by


class SalesReportView(FinanceReportView):
    page_title = "Sales"
    header_icon = "table"
    url_name = "reports:sales"
    filterset_class = filters.SalesFilterSet
    export_filename = "sales"

    @cached_property
    def group(self) -> str:
        return self.filters.group()

    def row_names(self):
        return (self.group, f"{self.group}s")

    def get_rows(self):
        return queries.sales_rows(self.period, self.group, **self.scope())

    def scope(self) -> dict:
        return {"theater": self.filters.value("theater"), "movie": self.filters.value("movie")}

    def decorate(self, row):
        row = queries.with_derived([row])[0]
        if "channel_code" in row:
            row["channel"], row["method"] = channel_labels(row["channel_code"], row["method_code"])
        return row

    @property
    def list_export(self):
        return [key for key, _ in SALES_LABELS[self.group]] + [key for key, _, _ in SALES_FIGURES]

    @property
    def export_headings(self):
        return {**dict(SALES_LABELS[self.group]), **export_headings(SALES_FIGURES)}

    def preprocess_field_value(self, field, value, export_format):
        if field == "starts_at" and value is not None:
            return local_time_cell(value, export_format, self.FORMAT_XLSX)
        return super().preprocess_field_value(field, value, export_format)

    @cached_property
    def columns(self):
        return [*self.label_columns(), *(ValueColumn(key, fmt, label=label, sort_key=key) for key, label, fmt in SALES_FIGURES)]

    def label_columns(self):
        if self.group == "day":
            return [ValueColumn("day", showdate, label="Day", sort_key="day")]
        if self.group == "movie":
            return [
                TitleColumn("movie_title", label="Movie", sort_key="movie_title", get_url=self.drill_down("movie", "movie_id"))
            ]
        if self.group == "channel":
            return [Column("channel", label="Channel", sort_key="channel_code"), Column("method", label="Paid by")]
        if self.group == "theater":
            return [
                TitleColumn(
                    "theater_title", label="Theater", sort_key="theater_title", get_url=self.drill_down("theater", "theater_id")
                )
            ]
        return [
            TitleColumn(
                "starts_at",
                label="Show",
                sort_key="starts_at",
                accessor=lambda row: showdatetime(row["starts_at"]),
                get_url=bookings_of_show(self.request.user, "show_pk"),
            ),
            Column("movie_title", label="Movie"),
            Column("theater_title", label="Theater"),
            Column("screen_name", label="Screen"),
        ]

    def drill_down(self, param, key):
        """A movie or theater row opens its shows, same period."""
        return lambda row: self.url_with(group="show", **{param: row[key]})

    def get_totals(self):
        totals = queries.sales_totals(self.period, **self.scope())
        return [(label, fmt(totals[key])) for key, label, fmt in SALES_FIGURES]
