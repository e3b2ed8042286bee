"""Occupancy per show: seats sold, held and free, and the share of sellable seats sold."""

from __future__ import annotations

from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, TitleColumn

from core.admin_kit import local_time_cell
from core.formatting import showdatetime
from ticketing.reports import filters, queries
from ticketing.reports.views.base import FinanceReportView, ValueColumn, bookings_of_show, percent

STATUS_LABELS = {"on_sale": "On sale", "sold_out": "Sold out", "cancelled": "Cancelled"}


class OccupancyReportView(FinanceReportView):
    page_title = "Occupancy"
    header_icon = "group"
    url_name = "reports:occupancy"
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
            return local_time_cell(value, export_format, self.FORMAT_XLSX)
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
