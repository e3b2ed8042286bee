"""The showtime filters customers choose on the movie and theater pages and in GET /api/shows:
language, format, accessibility tag and time of day (the vocabularies are in cinema/choices.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from cinema.choices import ACCESSIBILITY, FORMATS, TIME_BANDS

FORMAT_KEYS = frozenset(key for key, _ in FORMATS)
ACCESS_FIELDS = {key: field for key, _, field, _ in ACCESSIBILITY}
BAND_HOURS = {key: hours for key, _, hours in TIME_BANDS}
MAX_VALUE = 40


def time_band(key: str) -> Q:
    """Shows starting in this band, by the hour in India Standard Time (night runs past midnight)."""
    start, end = BAND_HOURS[key]
    if end <= 24:
        return Q(starts_at__hour__gte=start, starts_at__hour__lt=end)
    return Q(starts_at__hour__gte=start) | Q(starts_at__hour__lt=end - 24)


@dataclass(frozen=True)
class ShowtimeFilters:
    """Each filter is one value or empty (any)."""

    language: str = ""  # a language's name, any case
    format: str = ""
    accessibility: str = ""
    time: str = ""

    @classmethod
    def from_query(cls, query) -> ShowtimeFilters:
        """From a page's query string: a value the filter does not know is ignored (any)."""

        def one(name: str, allowed=None) -> str:
            value = (query.get(name) or "").strip()[:MAX_VALUE]
            return value if allowed is None or value in allowed else ""

        return cls(
            language=one("language"),
            format=one("format", FORMAT_KEYS),
            accessibility=one("accessibility", ACCESS_FIELDS),
            time=one("time", BAND_HOURS),
        )

    @property
    def active(self) -> bool:
        return bool(self.language or self.format or self.accessibility or self.time)

    def apply(self, shows):
        """The shows queryset narrowed to what the filters ask for."""
        if self.language:
            shows = shows.filter(language__name__iexact=self.language)
        if self.format:
            shows = shows.filter(format=self.format)
        if self.accessibility:
            shows = shows.filter(**{ACCESS_FIELDS[self.accessibility]: True})
        if self.time:
            shows = shows.filter(time_band(self.time))
        return shows


NO_FILTERS = ShowtimeFilters()
