"""The one resolver of card prices, and re-pricing future shows when a card changes.

resolve_price(screen, starts_at, format, category) answers one question; PriceBook answers
many (the scheduler, re-pricing) from cards and holidays loaded once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cinema.models import Holiday, PriceCard, PriceRule, Screen, ShowPage, ShowPrice, ShowStatus
from cinema.price_rules import ANY, day_type, describe, matches, time_band
from core.versions import bump_content


@dataclass(frozen=True)
class CardPrice:
    amount: Decimal
    rule: PriceRule
    card: PriceCard

    def __str__(self):
        return f"card “{self.card.name}” ({describe(self.rule)})"


def show_facts(starts_at: datetime, holidays: set) -> tuple[str, str]:
    """(day type, time band) of a start, read in India Standard Time."""
    local = timezone.localtime(starts_at)
    return day_type(local.date(), holidays), time_band(local.time())


def describe_show(starts_at: datetime, fmt: str, holidays: set) -> str:
    day, band = show_facts(starts_at, holidays)
    return f"{day} · {band} · {fmt}"


def _specificity(rule: PriceRule) -> int:
    return sum(value != ANY for value in (rule.day_type, rule.time_band, rule.format))


class PriceBook:
    """The cards of some screens (and their theaters) and the holiday list, in memory."""

    def __init__(self, screens: Iterable[Screen]):
        screens = list(screens)
        theater_ids = {screen.theater_id for screen in screens}
        cards = PriceCard.objects.filter(Q(screen__in=[s.pk for s in screens]) | Q(theater_id__in=theater_ids))
        self.by_screen: dict[int, PriceCard] = {}
        self.by_theater: dict[int, PriceCard] = {}
        for card in cards.prefetch_related("rules"):
            if card.screen_id:
                self.by_screen[card.screen_id] = card
            else:
                self.by_theater[card.theater_id] = card
        self.holidays = set(Holiday.objects.values_list("date", flat=True))

    def has_card(self, screen: Screen) -> bool:
        return screen.pk in self.by_screen or screen.theater_id in self.by_theater

    def price(self, screen: Screen, starts_at: datetime, fmt: str, category: str) -> CardPrice | None:
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

    def prices(self, screen: Screen, starts_at: datetime, fmt: str, categories: Iterable[str]) -> dict[str, CardPrice]:
        """{category: CardPrice} for the categories a card prices; the rest are left out."""
        found = {}
        for category in categories:
            priced = self.price(screen, starts_at, fmt, category)
            if priced is not None:
                found[category] = priced
        return found


def resolve_price(screen: Screen, starts_at: datetime, fmt: str, category: str) -> CardPrice | None:
    """The price (before GST) of one seat category at a show, and the rule and card that set it."""
    return PriceBook([screen]).price(screen, starts_at, fmt, category)


# --- re-pricing -------------------------------------------------------------------------------
TAKEN_STATES = ("held", "sold")  # ticketing's SeatState values; cinema never imports ticketing


@dataclass
class RepriceReport:
    repriced: int = 0
    unchanged: int = 0
    seats_taken: int = 0
    by_hand: int = 0
    drafts: int = 0
    no_rule: int = 0

    @property
    def left_alone(self) -> int:
        return self.seats_taken + self.by_hand + self.drafts + self.no_rule

    def message(self) -> str:
        text = f"{_shows(self.repriced, 'future show')} re-priced"
        reasons = [
            (self.seats_taken, "with seats held or sold"),
            (self.by_hand, "with every price typed by hand"),
            (self.drafts, "with unpublished changes (publish or review them first)"),
            (self.no_rule, "with a card price no rule matches any more (kept as it was)"),
        ]
        listed = [f"{count} {why}" for count, why in reasons if count]
        text += f"; {self.left_alone} left alone" + (f": {', '.join(listed)}" if listed else "")
        if self.unchanged:
            text += f"; {_shows(self.unchanged)} already at the card's price"
        return text + "."


def _shows(count: int, noun: str = "show") -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def reprice_future_shows(screen_ids: Iterable[int] | None = None, now: datetime | None = None) -> RepriceReport:
    """Re-price, from the cards as they are now, the card-priced prices of future shows on
    these screens (every screen when None) that have no seat held or sold and no unpublished
    changes. Prices typed by hand are never touched. A fixed handful of queries, one UPDATE."""
    report = RepriceReport()
    seat_model = ShowPage._meta.get_field("seats").related_model
    shows = ShowPage.objects.filter(starts_at__gt=now or timezone.now()).exclude(status=ShowStatus.CANCELLED)
    if screen_ids is not None:
        shows = shows.filter(screen_id__in=list(screen_ids))
    shows = shows.annotate(
        taken=Exists(seat_model.objects.filter(show=OuterRef("pk"), state__in=TAKEN_STATES)),
        card_priced=Exists(ShowPrice.objects.filter(show=OuterRef("pk"), from_card=True)),
    ).only("id", "screen_id", "starts_at", "format", "has_unpublished_changes")
    eligible = {}
    for show in shows:
        if show.taken:
            report.seats_taken += 1
        elif not show.card_priced:
            report.by_hand += 1
        elif show.has_unpublished_changes:
            report.drafts += 1
        else:
            eligible[show.pk] = show
    if not eligible:
        return report
    screens = Screen.objects.filter(pk__in={show.screen_id for show in eligible.values()})
    book = PriceBook(screens)
    screen_by_id = {screen.pk: screen for screen in screens}
    changed, outcome = [], {}
    for price in ShowPrice.objects.filter(show_id__in=list(eligible), from_card=True):
        show = eligible[price.show_id]
        priced = book.price(screen_by_id[show.screen_id], show.starts_at, show.format, price.category)
        if priced is None:
            outcome.setdefault(show.pk, set()).add("no_rule")
        elif priced.amount != price.amount or priced.rule.pk != price.rule_id:
            price.amount, price.rule = priced.amount, priced.rule
            changed.append(price)
            outcome.setdefault(show.pk, set()).add("repriced")
        else:
            outcome.setdefault(show.pk, set()).add("unchanged")
    for marks in outcome.values():
        if "repriced" in marks:
            report.repriced += 1
        elif "no_rule" in marks:
            report.no_rule += 1
        else:
            report.unchanged += 1
    if changed:
        ShowPrice.objects.bulk_update(changed, ["amount", "rule"])
        bump_content()  # bulk_update sends no post_save; cached pages show prices
    return report


def screens_of_card(card: PriceCard) -> list[int]:
    if card.screen_id:
        return [card.screen_id]
    return list(Screen.objects.filter(theater_id=card.theater_id).values_list("pk", flat=True))
