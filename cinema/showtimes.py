"""Showtime listings the customer pages share (movie and theater pages, the home rails).
Each returns in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from django.db.models import Prefetch
from django.utils import timezone

from cinema.choices import ACCESSIBILITY, FORMATS, TIME_BANDS
from cinema.models.shows import ShowPage, ShowStatus
from cinema.models.snippets import Language
from cinema.showtime_filters import NO_FILTERS, ShowtimeFilters

# How far ahead the customer pages list showtimes.
LISTING_DAYS = 8


def upcoming_shows(now=None):
    """Live, not cancelled, not yet started, at a live theater, in the listing window."""
    now = now or timezone.now()
    return (
        ShowPage.objects.live()
        .filter(starts_at__gt=now, starts_at__lt=now + timedelta(days=LISTING_DAYS), screen__theater__live=True, movie__live=True)
        .exclude(status=ShowStatus.CANCELLED)
    )


def movie_cards(queryset):
    """Movies with what a card shows: poster, languages, genres (no query per card)."""
    return queryset.select_related("poster").prefetch_related(
        Prefetch("languages", queryset=Language.objects.order_by("name")), "genres", "poster__renditions"
    )


def _by_day(shows):
    return groupby(shows, key=lambda show: timezone.localtime(show.starts_at).date())


def movie_showtimes(movie, city: str | None = None, filters: ShowtimeFilters = NO_FILTERS) -> list[dict]:
    """[{date, theaters: [{theater, shows}]}] for a movie page, in time order."""
    shows = filters.apply(upcoming_shows().filter(movie=movie))
    shows = shows.select_related("screen__theater", "language").order_by("starts_at")
    if city:
        shows = shows.filter(screen__theater__city=city)
    days = []
    for day, day_shows in _by_day(shows):
        theaters: dict[int, dict] = {}
        for show in day_shows:
            theater = show.screen.theater
            theaters.setdefault(theater.pk, {"theater": theater, "shows": []})["shows"].append(show)
        days.append({"date": day, "theaters": sorted(theaters.values(), key=lambda t: (t["theater"].city, t["theater"].title))})
    return days


def theater_showtimes(theater, filters: ShowtimeFilters = NO_FILTERS) -> list[dict]:
    """[{date, movies: [{movie, shows}]}] for a theater page, in time order."""
    shows = (
        filters.apply(upcoming_shows().filter(screen__theater=theater))
        .select_related("movie__poster", "screen", "language")
        .prefetch_related("movie__poster__renditions")
        .order_by("starts_at")
    )
    days = []
    for day, day_shows in _by_day(shows):
        movies: dict[int, dict] = {}
        for show in day_shows:
            movies.setdefault(show.movie_id, {"movie": show.movie, "shows": []})["shows"].append(show)
        days.append({"date": day, "movies": sorted(movies.values(), key=lambda m: m["movie"].title)})
    return days


def listed_languages(shows) -> list[str]:
    """The names of the languages these shows are in, for the language filter (one query)."""
    return list(Language.objects.filter(shows__in=shows).distinct().order_by("name").values_list("name", flat=True))


def filter_context(filters: ShowtimeFilters, shows) -> dict:
    """What the showtime filter form shows: the choices and the current values."""
    return {
        "filters": filters,
        "filter_languages": [(name, name) for name in listed_languages(shows)],
        "filter_formats": FORMATS,
        "filter_accessibility": [(key, label) for key, label, _, _ in ACCESSIBILITY],
        "filter_times": [(key, label) for key, label, _ in TIME_BANDS],
    }
