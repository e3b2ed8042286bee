"""The one resolver of card prices, and re-pricing future shows when a card changes.

resolve_price(screen, starts_at, format, category) answers one question; PriceBook answers
many (the scheduler, re-pricing) from cards and holidays loaded once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from cinema.price_rules import ANY, day_type, describe, matches, time_band


def _model(name: str):
    """A cinema model, looked up when used: the show page's form prices from this module and
    the models import that form, so importing them here would make a loop."""
    return apps.get_model("cinema", name)


@dataclass(frozen=True)
class CardPrice:
    amount: Decimal
    rule: object  # a PriceRule
    card: object  # its PriceCard

    def __str__(self):
        return f"card “{self.card.name}” ({describe(self.rule)})"


def show_facts(starts_at: datetime, holidays: set) -> tuple[str, str]:
    """(day type, time band) of a start, read in India Standard Time."""
    local = timezone.localtime(starts_at)
    return day_type(local.date(), holidays), time_band(local.time())


def describe_show(starts_at: datetime, fmt: str, holidays: set) -> str:
    day, band = show_facts(starts_at, holidays)
    return f"{day} · {band} · {fmt}"


def _specificity(rule) -> int:
    return sum(value != ANY for value in (rule.day_type, rule.time_band, rule.format))


class PriceBook:
    """The cards of some screens (and their theaters) and the holiday list, in memory."""

    def __init__(self, screens: Iterable):
        screens = list(screens)
        theater_ids = {screen.theater_id for screen in screens}
        cards = _model("PriceCard").objects.filter(Q(screen__in=[s.pk for s in screens]) | Q(theater_id__in=theater_ids))
        self.by_screen: dict[int, object] = {}
        self.by_theater: dict[int, object] = {}
        for card in cards.prefetch_related("rules"):
            if card.screen_id:
                self.by_screen[card.screen_id] = card
            else:
                self.by_theater[card.theater_id] = card
        self.holidays = set(_model("Holiday").objects.values_list("date", flat=True))

    def has_card(self, screen) -> bool:
        return screen.pk in self.by_screen or screen.theater_id in self.by_theater

    def price(self, screen, starts_at: datetime, fmt: str, category: str) -> CardPrice | None:
        """The screen card's matching rule, else the theater card's, else None."""
        day, band = show_facts(starts_at, self.holidays)
        wanted = category.strip().lower()
        for card in (self.by_screen.get(screen.pk), self.by_theater.get(screen.theater_id)):
            if card is None:
                continue
            found = [
                rule
                for rule in card.rules.all()
                if rule.category.strip().lower() == wanted
                and matches(rule.day_type, day)
                and matches(rule.time_band, band)
                and matches(rule.format, fmt)
            ]
            if found:
                rule = max(found, key=_specificity)  # overlaps are refused; this only guards old data
                return CardPrice(amount=rule.amount, rule=rule, card=card)
        return None

    def prices(self, screen, starts_at: datetime, fmt: str, categories: Iterable[str]) -> dict[str, CardPrice]:
        """{category: CardPrice} for the categories a card prices; the rest are left out."""
        found = {}
        for category in categories:
            priced = self.price(screen, starts_at, fmt, category)
            if priced is not None:
                found[category] = priced
        return found


def resolve_price(screen, starts_at: datetime, fmt: str, category: str) -> CardPrice | None:
    """The price (before GST) of one seat category at a show, and the rule and card that set it."""
    return PriceBook([screen]).price(screen, starts_at, fmt, category)
