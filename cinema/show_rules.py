"""The rules every show obeys, whoever creates it: the page editor, the scheduler or seed data.

Plain functions of a show's facts; the one rule that reads other shows (no clash on the
screen) is ShowPage's, in cinema.models.shows, which builds on these."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from core.booking_rules import BookingSettings

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
    return timedelta(minutes=BookingSettings.load().cleaning_buffer_minutes)


def busy_until(starts_at, runtime_minutes: int, buffer: timedelta):
    return starts_at + timedelta(minutes=runtime_minutes) + buffer


def overlapping(a_start, a_runtime: int, b_start, b_runtime: int, buffer: timedelta) -> bool:
    """Two shows on one screen clash when either starts before the other is out and cleaned."""
    return a_start < busy_until(b_start, b_runtime, buffer) and b_start < busy_until(a_start, a_runtime, buffer)


def describe_clash(other, buffer: timedelta) -> str:
    start = timezone.localtime(other.starts_at)
    end = timezone.localtime(busy_until(other.starts_at, other.movie.runtime_minutes, buffer))
    return (
        f"The screen is busy with “{other.movie.title}” from {start:%d %b %H:%M} until {end:%H:%M} "
        f"(including {int(buffer.total_seconds() // 60)} minutes of cleaning). Choose another time or screen."
    )


def price_problems(screen, prices: dict[str, Decimal | None], require_all: bool = True) -> list[str]:
    """What is wrong with a {category: price} map for this screen's seat layout. With
    require_all=False, categories left out are fine: a price card fills them."""
    categories = screen.seat_layout.category_names()
    known = {c.lower(): c for c in categories}
    given = {c.strip().lower() for c in prices if c and c.strip()}
    problems = []
    for category in prices:
        if category and category.strip().lower() not in known:
            problems.append(f"“{category}” is not a seat category of {screen.name} (its categories: {', '.join(categories)}).")
    missing = [c for c in categories if c.lower() not in given]
    if missing and require_all:
        problems.append(
            f"Set a price for every seat category of {screen.name}; missing: {', '.join(missing)}. "
            "(Or give the screen or its theater a price card.)"
        )
    for category, amount in prices.items():
        if amount is not None and amount < 1:
            problems.append(f"The price for “{category}” must be at least ₹1.")
    return problems


def movie_has_language(movie, language) -> bool:
    """True when the movie is released in the language; works on unsaved in-memory M2M too."""
    return any(lang.pk == language.pk for lang in movie.languages.all())
