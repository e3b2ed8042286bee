"""What the finance reports share: a Wagtail ReportView over dict rows from a GROUP BY query,
behind `ticketing.view_reports` (an admin-styled 403 otherwise), with a totals line for the
whole period, pagination and CSV/XLSX export of every row."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from core.admin_access import RequirePermissionMixin
from core.formatting import showdate
from core.money import format_inr
from ticketing.permissions import VIEW_BOOKINGS, VIEW_REPORTS
from ticketing.reports.queries import Period, money_row

MONEY_HEADING = " (INR)"


class ValueColumn(Column):
    """A column whose value is formatted for people: rupees, dates, percentages."""

    def __init__(self, name, formatter=str, **kwargs):
        super().__init__(name, **kwargs)
        self.formatter = formatter

    def get_value(self, instance):
        value = super().get_value(instance)
        return "—" if value is None else self.formatter(value)


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

    admin_permission = VIEW_REPORTS
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
        form.is_valid()
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


def export_headings(figures) -> dict:
    """Spreadsheet headings for (key, label, formatter) figures; money ones say "(INR)"."""
    return {key: label + (MONEY_HEADING if fmt is format_inr else "") for key, label, fmt in figures}
