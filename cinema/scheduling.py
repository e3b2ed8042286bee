"""The rules every show obeys, whoever creates it: the page editor, the scheduler or seed data."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

# No film runs longer than this, so overlap look-ups only scan a bounded window.
LONGEST_RUNTIME = timedelta(minutes=600)


def show_identity(movie, screen, starts_at) -> tuple[str, str]:
    """Title and slug, for example "Sat 21 Nov 2026, 19:30 · Marquee Juhu · Screen 2"."""
    local = timezone.localtime(starts_at)
    theater = screen.theater
    title = f"{local:%a %d %b %Y, %H:%M} · {theater.title} · {screen.name}"
    slug = f"{local:%Y-%m-%d-%H%M}-{slugify(theater.title)}-{slugify(screen.name)}"[:255]
    return title, slug


def cleaning_buffer() -> timedelta:
    from home.models import BookingSettings

    return timedelta(minutes=BookingSettings.load().cleaning_buffer_minutes)


def busy_until(starts_at, runtime_minutes: int, buffer: timedelta):
    return starts_at + timedelta(minutes=runtime_minutes) + buffer


def overlapping(a_start, a_runtime: int, b_start, b_runtime: int, buffer: timedelta) -> bool:
    """Two shows on one screen clash when either starts before the other is out and cleaned."""
    return a_start < busy_until(b_start, b_runtime, buffer) and b_start < busy_until(a_start, a_runtime, buffer)


def existing_shows_near(screen_ids, start, end, buffer: timedelta, exclude_pk=None):
    """Non-cancelled shows on these screens that could clash with anything in [start, end):
    any show starting up to the longest runtime plus the cleaning buffer before it."""
    from cinema.models import ShowPage, ShowStatus

    shows = (
        ShowPage.objects.filter(screen_id__in=screen_ids, starts_at__lt=end, starts_at__gt=start - LONGEST_RUNTIME - buffer)
        .exclude(status=ShowStatus.CANCELLED)
        .select_related("movie")
        .only("id", "title", "screen_id", "starts_at", "movie__runtime_minutes", "movie__title")
    )
    if exclude_pk:
        shows = shows.exclude(pk=exclude_pk)
    return list(shows)


def describe_clash(other, buffer: timedelta) -> str:
    start = timezone.localtime(other.starts_at)
    end = timezone.localtime(busy_until(other.starts_at, other.movie.runtime_minutes, buffer))
    return (
        f"The screen is busy with “{other.movie.title}” from {start:%d %b %H:%M} until {end:%H:%M} "
        f"(including {int(buffer.total_seconds() // 60)} minutes of cleaning). Choose another time or screen."
    )


def price_problems(screen, prices: dict[str, Decimal | None]) -> list[str]:
    """What is wrong with a {category: price} map for this screen's seat layout."""
    categories = screen.seat_layout.category_names()
    known = {c.lower(): c for c in categories}
    given = {c.strip().lower() for c in prices if c and c.strip()}
    problems = []
    for category in prices:
        if category and category.strip().lower() not in known:
            problems.append(f"“{category}” is not a seat category of {screen.name} (its categories: {', '.join(categories)}).")
    missing = [c for c in categories if c.lower() not in given]
    if missing:
        problems.append(f"Set a price for every seat category of {screen.name}; missing: {', '.join(missing)}.")
    for category, amount in prices.items():
        if amount is not None and amount < 1:
            problems.append(f"The price for “{category}” must be at least ₹1.")
    return problems


def movie_has_language(movie, language) -> bool:
    """True when the movie is released in the language; works on unsaved in-memory M2M too."""
    return any(lang.pk == language.pk for lang in movie.languages.all())


def check_show_rules(show) -> list[str]:
    """Every rule a single show must satisfy; an empty list means it may be saved."""
    problems = []
    screen, movie = show.screen, show.movie
    if not screen.supports(show.format):
        problems.append(f"{screen.name} at {screen.theater.title} is a {screen.format} screen and cannot show {show.format}.")
    if show.language_id and not movie_has_language(movie, show.language):
        problems.append(f"“{movie.title}” is not released in {show.language}. Add the language to the movie first.")
    if show.booking_closes_at and show.booking_closes_at > show.starts_at + timedelta(minutes=30):
        problems.append("Booking must close no later than 30 minutes after the show starts.")
    if show.booking_opens_at and show.booking_opens_at >= (show.booking_closes_at or show.starts_at):
        problems.append("Booking must open before it closes.")
    if show.status != "cancelled":
        buffer = cleaning_buffer()
        end = busy_until(show.starts_at, movie.runtime_minutes, buffer)
        for other in existing_shows_near([screen.pk], show.starts_at, end, buffer, exclude_pk=show.pk):
            if overlapping(show.starts_at, movie.runtime_minutes, other.starts_at, other.movie.runtime_minutes, buffer):
                problems.append(describe_clash(other, buffer))
                break
    return problems
