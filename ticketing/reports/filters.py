"""The reports' filter forms. They only describe what to report (period, grouping, theater):
the views read `params()` and call the queries; no filterset filters a queryset itself.

Each report has defaults (e.g. the last 30 days), filled in when the query string does not
mention a field, so the form shows them and Wagtail does not count them as active filters.
Anything invalid falls back to the default, never to an error page.
"""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.http import QueryDict
from django.utils import timezone
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from cinema.models import LegalEntity, MoviePage, TheaterPage
from ticketing.models import Booking
from ticketing.reports.queries import Period


def _keep(queryset, name, value):
    return queryset


def period_filter(label: str) -> django_filters.DateFromToRangeFilter:
    return django_filters.DateFromToRangeFilter(label=label, method=_keep, widget=DateRangePickerWidget)


def group_filter(choices) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        label="Group by", choices=choices, method=_keep, widget=forms.RadioSelect, empty_label=None
    )


def theaters(request=None):
    return TheaterPage.objects.order_by("title")


def movies(request=None):
    return MoviePage.objects.order_by("title")


class ReportFilterSet(WagtailFilterSet):
    """Defaults: the `default_days` up to today (or today and the `period_ahead` days after
    it) for the period, and the first choice of `group`."""

    default_days = 30
    period_ahead = 0  # days after today the default period runs to (occupancy looks ahead)

    class Meta:
        model = Booking
        fields: list = []

    def __init__(self, data=None, *args, **kwargs):
        self.default_period = self.get_default_period()
        defaults = self.get_defaults()
        data = data.copy() if data is not None else QueryDict(mutable=True)
        for key, value in defaults.items():
            if key not in data:
                data[key] = value
        super().__init__(data, *args, **kwargs)
        if "period" in self.form.fields:
            self.form.fields["period"].initial = slice(self.default_period.start, self.default_period.end)
        if "group" in self.form.fields:
            self.form.fields["group"].initial = self.filters["group"].extra["choices"][0][0]

    def get_default_period(self) -> Period:
        today = timezone.localdate()
        if self.period_ahead:
            return Period(today, today + timedelta(days=self.period_ahead))
        return Period.last_days(self.default_days, today)

    def get_defaults(self) -> dict:
        defaults = {}
        if "period" in self.base_filters:
            defaults.update(period_from=self.default_period.start.isoformat(), period_to=self.default_period.end.isoformat())
        if "group" in self.base_filters:
            defaults["group"] = self.base_filters["group"].extra["choices"][0][0]
        return defaults

    def value(self, name, default=None):
        """The cleaned value of one field, or the default when it is missing or invalid."""
        form = self.form
        form.is_valid()
        if name in form.errors:
            return default
        value = form.cleaned_data.get(name)
        return default if value in (None, "") else value

    def period(self) -> Period:
        """The chosen dates; both cleared means all time."""
        self.form.is_valid()
        if "period" in self.form.errors:
            return self.default_period
        value = self.form.cleaned_data.get("period")
        if not value:
            return Period()
        return Period(value.start.date() if value.start else None, value.stop.date() if value.stop else None)

    def group(self) -> str:
        return self.value("group", self.form.fields["group"].initial)


class SalesFilterSet(ReportFilterSet):
    period = period_filter("Sold between")
    group = group_filter(
        [
            ("day", "Day"),
            ("movie", "Movie"),
            ("theater", "Theater"),
            ("show", "Show"),
            ("channel", "Online or counter, and how paid"),
        ]
    )
    theater = django_filters.ModelChoiceFilter(label="Theater", queryset=theaters, method=_keep)
    movie = django_filters.ModelChoiceFilter(label="Movie", queryset=movies, method=_keep)


class FoodSalesFilterSet(ReportFilterSet):
    period = period_filter("Sold between")
    group = group_filter([("item", "Item"), ("theater", "Theater"), ("day", "Day")])
    theater = django_filters.ModelChoiceFilter(label="Theater", queryset=theaters, method=_keep)


class OccupancyFilterSet(ReportFilterSet):
    period_ahead = 6  # this week's shows
    period = period_filter("Shows between")
    theater = django_filters.ModelChoiceFilter(label="Theater", queryset=theaters, method=_keep)


class LedgerSummaryFilterSet(ReportFilterSet):
    period = period_filter("Between")
    group = group_filter([("kind", "Kind"), ("day", "Day"), ("day_kind", "Day and kind")])


class PromoUsageFilterSet(ReportFilterSet):
    period = period_filter("Sold between")
    used_only = django_filters.BooleanFilter(label="Used in the period only", method=_keep, widget=forms.CheckboxInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["used_only"].initial = False  # unticked is the default, not a filter


class ShiftsFilterSet(ReportFilterSet):
    period = period_filter("Opened between")


def gstins():
    return [
        (gstin, f"{gstin} {name}") for gstin, name in LegalEntity.objects.order_by("gstin").values_list("gstin", "legal_name")
    ]


class TaxRegisterFilterSet(ReportFilterSet):
    period = period_filter("Issued between")
    gstin = django_filters.ChoiceFilter(label="GSTIN", choices=gstins, method=_keep)
