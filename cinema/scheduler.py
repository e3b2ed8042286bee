"""Bulk scheduling: a week of shows on several screens in one go.

Everything is checked before anything is written: existing shows are skipped, clashes are
refused with the reason, and the rest are created (live or as drafts) in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from cinema.models import ShowPage, ShowPrice
from cinema.models.shows import existing_shows_near
from cinema.price_cards import PriceBook, describe_show
from cinema.show_rules import (
    busy_until,
    cleaning_buffer,
    describe_clash,
    movie_has_language,
    overlapping,
    price_problems,
    show_identity,
)

PAST_REASON = "This time has already passed."
BATCH_CLASH_REASON = "Clashes with another show in this batch."


class SchedulerError(ValueError):
    """A request that cannot be scheduled at all; the message is shown to the editor."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(" ".join(messages))


@dataclass
class ScheduleRequest:
    movie: object
    screens: list
    first_day: date
    last_day: date
    times: list[time]
    language: object
    format: str
    prices: dict[str, Decimal]  # typed by the editor: overrides; other categories come from price cards
    publish: bool = True
    max_per_booking: int = 10


@dataclass
class Refusal:
    title: str
    reason: str


@dataclass
class ScheduleResult:
    """created: the new shows, each with .priced_by, a line saying which card priced it."""

    created: list = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def _days(first: date, last: date):
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def validate_request(req: ScheduleRequest, book: PriceBook) -> None:
    """Whole-request problems; a screen without a price card needs every price typed."""
    problems = []
    if req.last_day < req.first_day:
        problems.append("The last day must be on or after the first day.")
    elif (req.last_day - req.first_day).days + 1 > settings.MARQUEE_SCHEDULER_MAX_DAYS:
        problems.append(f"Schedule at most {settings.MARQUEE_SCHEDULER_MAX_DAYS} days at a time.")
    if not req.times:
        problems.append("Give at least one start time.")
    if not req.screens:
        problems.append("Choose at least one screen.")
    if not movie_has_language(req.movie, req.language):
        problems.append(f"“{req.movie.title}” is not released in {req.language}. Add the language to the movie first.")
    for screen in req.screens:
        if not screen.supports(req.format):
            problems.append(f"{screen} is a {screen.format} screen and cannot show {req.format}.")
        typed = {c: p for c, p in req.prices.items() if c in screen.seat_layout.category_names()}
        problems.extend(price_problems(screen, typed, require_all=not book.has_card(screen)))
    if problems:
        raise SchedulerError(list(dict.fromkeys(problems)))


def plan_shows(req: ScheduleRequest, book: PriceBook) -> tuple[list[tuple], ScheduleResult]:
    """Decide, without writing, which (screen, starts_at) pairs to create, skip or refuse."""
    result = ScheduleResult()
    buffer = cleaning_buffer()
    runtime = req.movie.runtime_minutes
    tz = timezone.get_current_timezone()
    candidates = [
        (screen, timezone.make_aware(datetime.combine(day, at), tz))
        for day in _days(req.first_day, req.last_day)
        for at in sorted(set(req.times))
        for screen in req.screens
    ]
    if not candidates:
        return [], result
    window_start = min(start for _, start in candidates)
    window_end = busy_until(max(start for _, start in candidates), runtime, buffer)
    # screen id → [(start, runtime, why a clash with it is refused)]
    taken: dict[int, list[tuple]] = {}
    for other in existing_shows_near([s.pk for s in req.screens], window_start, window_end, buffer):
        taken.setdefault(other.screen_id, []).append(
            (other.starts_at, other.movie.runtime_minutes, describe_clash(other, buffer))
        )
    existing_slugs = set(req.movie.get_children().values_list("slug", flat=True)) if req.movie.pk else set()

    accepted = []
    now = timezone.now()
    for screen, starts_at in candidates:
        title, slug = show_identity(req.movie, screen, starts_at)
        if slug in existing_slugs:
            result.skipped.append(title)
            continue
        if starts_at <= now:
            result.refused.append(Refusal(title=title, reason=PAST_REASON))
            continue
        clash = next(
            (why for start, length, why in taken.get(screen.pk, []) if overlapping(starts_at, runtime, start, length, buffer)),
            None,
        )
        if clash is not None:
            result.refused.append(Refusal(title=title, reason=clash))
            continue
        prices = show_prices(req, book, screen, starts_at)
        if isinstance(prices, str):
            result.refused.append(Refusal(title=title, reason=prices))
            continue
        taken.setdefault(screen.pk, []).append((starts_at, runtime, BATCH_CLASH_REASON))
        existing_slugs.add(slug)
        accepted.append((screen, starts_at, prices))
    return accepted, result


def show_prices(req: ScheduleRequest, book: PriceBook, screen, starts_at) -> list[ShowPrice] | str:
    """The show's prices, one per category of its layout: typed in the request (an override)
    or from the price card; the reason it cannot be priced when a category has neither."""
    categories = screen.seat_layout.category_names()
    card = book.prices(screen, starts_at, req.format, [c for c in categories if c not in req.prices])
    missing = [c for c in categories if c not in req.prices and c not in card]
    if missing:
        return (
            f"No price for {', '.join(missing)}: no price card rule matches "
            f"({describe_show(starts_at, req.format, book.holidays)}) and none was typed."
        )
    return [
        ShowPrice(category=c, amount=req.prices[c], sort_order=i)
        if c in req.prices
        else ShowPrice(category=c, amount=card[c].amount, rule=card[c].rule, from_card=True, sort_order=i)
        for i, c in enumerate(categories)
    ]


def priced_by(prices: list[ShowPrice]) -> str:
    """ "Card “Juhu” (Prime, Classic); typed: Recliner" for the scheduler's result."""
    cards: dict[str, list[str]] = {}
    typed = []
    for price in prices:
        if price.from_card:
            cards.setdefault(price.rule.card.name, []).append(price.category)
        else:
            typed.append(price.category)
    parts = [f"card “{name}” ({', '.join(cats)})" for name, cats in cards.items()]
    if typed:
        parts.append(f"typed: {', '.join(typed)}")
    return "; ".join(parts)


def schedule_shows(req: ScheduleRequest, user=None) -> ScheduleResult:
    """Create every show the request asks for that can be created; report the rest."""

    book = PriceBook(req.screens)
    validate_request(req, book)
    accepted, result = plan_shows(req, book)
    with transaction.atomic():
        for screen, starts_at, prices in accepted:
            show = _create_show(req, screen, starts_at, prices, user)
            show.priced_by = priced_by(prices)
            result.created.append(show)
    return result


def _create_show(req: ScheduleRequest, screen, starts_at, prices, user):
    """One page, its prices and seats, and one revision; published in the same step.

    plan_shows() and validate_request() have already applied every show rule (the same
    functions ShowPage.clean() uses), so the page is added as a draft, which Wagtail saves with
    minimal validation, and then flipped live in one UPDATE. That is what makes a 500-show run
    take seconds, not minutes. The audit log still records the creation and the publication.
    """
    now = timezone.now()
    show = ShowPage(
        screen=screen,
        starts_at=starts_at,
        language=req.language,
        format=req.format,
        max_per_booking=req.max_per_booking,
        owner=user,
        live=False,
        has_unpublished_changes=True,
    )
    show.movie = req.movie
    show.prices = prices
    req.movie.add_child(instance=show)
    revision = show.save_revision(user=user, clean=False)  # add_child logged "create"
    if req.publish:
        published = {
            "live": True,
            "has_unpublished_changes": False,
            "live_revision": revision,
            "first_published_at": now,
            "last_published_at": now,
        }
        ShowPage.objects.filter(pk=show.pk).update(**published)
        for field, value in published.items():
            setattr(show, field, value)
        log(instance=show, action="wagtail.publish", user=user, revision=revision)
    return show
