"""The finance reports as Wagtail ReportViews: filters, pagination, a totals summary over the
whole period, and CSV/XLSX export of every row. Each is behind `ticketing.view_reports`
(an admin-styled 403 otherwise). The figures come from `ticketing.reports.queries`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from home.admin_access import RequirePermissionMixin
from home.templatetags.marquee import showdate, showdatetime
from ticketing.money import format_inr
from ticketing.reports import filters, queries
from ticketing.reports.queries import Period, money_row
from wallet.models import TransactionKind

VIEW_REPORTS = "ticketing.view_reports"
VIEW_BOOKINGS = "ticketing.view_booking"


class ValueColumn(Column):
    """A column whose value is formatted for people: rupees, dates, percentages."""

    def __init__(self, name, formatter=str, **kwargs):
        super().__init__(name, **kwargs)
        self.formatter = formatter

    def get_value(self, instance):
        value = super().get_value(instance)
        return "—" if value is None else self.formatter(value)


def money(name, label, **kwargs) -> ValueColumn:
    return ValueColumn(name, format_inr, label=label, **kwargs)


def percent(value) -> str:
    return f"{value:.1f} %"


def period_text(period: Period) -> str:
    if period.start and period.end:
        return f"{showdate(period.start)} – {showdate(period.end)}"
    if period.start:
        return f"from {showdate(period.start)}"
    if period.end:
        return f"up to {showdate(period.end)}"
    return "all time"


def bookings_of_show(user, key):
    """A show opens its bookings in the Finance menu, for those who may see them."""
    if not user.has_perm(VIEW_BOOKINGS):
        return None
    return lambda row: f"{reverse('bookings:index')}?show={row[key]}"


class FinanceReportView(RequirePermissionMixin, ReportView):
    """Rows are dicts from a GROUP BY query; `decorate` adds what is worked out per row."""

    permission_required = VIEW_REPORTS
    results_template_name = "ticketing/reports/report_results.html"
    url_name = ""

    def get_index_url(self):
        return reverse(self.url_name)

    def get_index_results_url(self):
        return reverse(f"{self.url_name}_results")

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def period(self) -> Period:
        return self.filters.period()

    def get_rows(self):
        raise NotImplementedError

    def row_names(self) -> tuple[str, str]:
        """What one row is, for "12 shows" under the table."""
        return ("row", "rows")

    def get_totals(self) -> list[tuple[str, str]]:
        return []

    def decorate(self, row: dict) -> dict:
        return money_row(row)

    def get_queryset(self):
        rows = self.get_rows()
        if self.ordering:  # one of the columns' sort keys, checked by get_ordering()
            rows = rows.order_by(self.ordering, *rows.query.order_by)
        return rows

    def get_filtered_queryset(self):
        return self.get_queryset()

    @cached_property
    def active_filters(self):
        """Wagtail's date-range pill needs a range; a cleared period (all time) has none."""
        form = self.filters.form
        if form.is_valid():
            form.__dict__["changed_data"] = [name for name in form.changed_data if form.cleaned_data.get(name) is not None]
        return super().active_filters

    def paginate_queryset(self, queryset, page_size):
        """Read the page once and decorate it, so the table shows the finished rows."""
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = rows = [self.decorate(row) for row in rows]
        paginator.verbose_name, paginator.verbose_name_plural = self.row_names()
        return paginator, page, rows, is_paginated

    def to_row_dict(self, item):
        return super().to_row_dict(self.decorate(item))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.is_export:
            context.update(period_text=period_text(self.period), totals=self.get_totals())
        return context

    def url_with(self, **params) -> str:
        """This report's URL with the current filters and some changed."""
        query = {key: value for key, value in self.request.GET.items() if key not in ("p", "export", "ordering")}
        return f"{self.index_url}?{urlencode({**query, **params})}"


# --- sales -----------------------------------------------------------------------------------
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
    ("refunded", "Refunds", format_inr),
    ("net", "Net", format_inr),
]
SALES_LABELS = {
    "day": [("day", "Day")],
    "movie": [("movie_title", "Movie")],
    "theater": [("theater_title", "Theater")],
    "show": [("starts_at", "Show"), ("movie_title", "Movie"), ("theater_title", "Theater"), ("screen_name", "Screen")],
}
MONEY_HEADING = " (INR)"


class SalesReportView(FinanceReportView):
    page_title = "Sales"
    header_icon = "table"
    url_name = "reports_sales"
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
        return queries.with_derived([row])[0]

    @property
    def list_export(self):
        return [key for key, _ in SALES_LABELS[self.group]] + [key for key, _, _ in SALES_FIGURES]

    @property
    def export_headings(self):
        headings = dict(SALES_LABELS[self.group])
        headings.update({key: label + (MONEY_HEADING if fmt is format_inr else "") for key, label, fmt in SALES_FIGURES})
        return headings

    def preprocess_field_value(self, field, value, export_format):
        if field == "starts_at" and value is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
            return value if export_format == self.FORMAT_XLSX else value.strftime("%Y-%m-%d %H:%M")
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


# --- occupancy -------------------------------------------------------------------------------
STATUS_LABELS = {"on_sale": "On sale", "sold_out": "Sold out", "cancelled": "Cancelled"}


class OccupancyReportView(FinanceReportView):
    page_title = "Occupancy"
    header_icon = "group"
    url_name = "reports_occupancy"
    filterset_class = filters.OccupancyFilterSet
    export_filename = "occupancy"
    list_export = [
        "starts",
        "movie_title",
        "theater_title",
        "screen_name",
        "status",
        "seats_total",
        "sold",
        "held",
        "available",
        "blocked",
        "occupancy",
    ]
    export_headings = {
        "starts": "Show",
        "movie_title": "Movie",
        "theater_title": "Theater",
        "screen_name": "Screen",
        "status": "Status",
        "seats_total": "Seats",
        "sold": "Sold",
        "held": "Held",
        "available": "Available",
        "blocked": "Blocked",
        "occupancy": "Occupancy (%)",
    }

    def row_names(self):
        return ("show", "shows")

    def get_rows(self):
        return queries.occupancy_rows(self.period, theater=self.filters.value("theater"))

    def decorate(self, row):
        row = dict(row)
        row["status"] = STATUS_LABELS.get(row["show_status"], row["show_status"])
        row["occupancy"] = round(row["occupancy"], 1) if row["occupancy"] is not None else None
        return row

    def preprocess_field_value(self, field, value, export_format):
        if field == "starts":
            value = timezone.localtime(value).replace(tzinfo=None)
            return value if export_format == self.FORMAT_XLSX else value.strftime("%Y-%m-%d %H:%M")
        return super().preprocess_field_value(field, value, export_format)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "starts",
                label="Show",
                sort_key="starts",
                accessor=lambda row: showdatetime(row["starts"]),
                get_url=bookings_of_show(self.request.user, "show_id"),
            ),
            Column("movie_title", label="Movie", sort_key="movie_title"),
            Column("theater_title", label="Theater", sort_key="theater_title"),
            Column("screen_name", label="Screen"),
            Column("status", label="Status"),
            Column("seats_total", label="Seats"),
            Column("sold", label="Sold", sort_key="sold"),
            Column("held", label="Held"),
            Column("available", label="Available", sort_key="available"),
            ValueColumn("occupancy", percent, label="Occupancy", sort_key="occupancy"),
        ]

    def get_totals(self):
        totals = queries.occupancy_totals(self.period, theater=self.filters.value("theater"))
        occupancy = totals["occupancy"]
        return [
            ("Shows", str(totals["shows"])),
            ("Seats", str(totals["seats_total"])),
            ("Sold", str(totals["sold"])),
            ("Held", str(totals["held"])),
            ("Available", str(totals["available"])),
            ("Occupancy", "—" if occupancy is None else percent(occupancy)),
        ]


# --- wallet ledger ---------------------------------------------------------------------------
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
    url_name = "reports_ledger"
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
        headings = {"day": "Day", "kind": "Kind"}
        headings.update({key: label + (MONEY_HEADING if fmt is format_inr else "") for key, label, fmt in LEDGER_FIGURES})
        return headings

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


# --- promo codes -----------------------------------------------------------------------------
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
    url_name = "reports_promos"
    filterset_class = filters.PromoUsageFilterSet
    export_filename = "promo-usage"
    list_export = ["code", "offer", "active", *(key for key, _, _ in PROMO_FIGURES)]
    export_headings = {
        "code": "Code",
        "offer": "Offer",
        "active": "Active",
        **{key: label + (MONEY_HEADING if fmt is format_inr else "") for key, label, fmt in PROMO_FIGURES},
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
        if not self.request.user.has_perm("ticketing.change_promocode"):
            return None
        return lambda row: reverse("wagtailsnippets_ticketing_promocode:edit", args=[row["promo_id"]])

    def get_totals(self):
        totals = queries.promo_totals(self.period)
        return [(label, fmt(totals[key])) for key, label, fmt in PROMO_FIGURES]
