"""Re-pricing future shows when an editor changes a price card or the holiday list: only shows
with no seat held or sold, no unpublished changes and a price that came from a card."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from cinema.models import Screen, ShowPage, ShowPrice, ShowStatus
from cinema.price_cards import PriceBook
from core.versions import bump_content

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


def screens_of_card(card) -> list[int]:
    if card.screen_id:
        return [card.screen_id]
    return list(Screen.objects.filter(theater_id=card.theater_id).values_list("pk", flat=True))
