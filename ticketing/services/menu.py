"""A show's menu as customers see it: the theater's items, their price before GST, the GST
rate they are charged at, and whether any are left."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cinema.concession_menu import theater_menu
from core.booking_rules import BookingSettings
from ticketing.services.food_stock import stock_left, theater_of
from ticketing.services.show_cache import show_prices


@dataclass
class MenuOffer:
    item: object  # cinema.ConcessionItem
    price: Decimal
    gst_rate: Decimal
    available: bool
    left: int | None  # None: not counted


def show_menu(show) -> list[MenuOffer]:
    rules = BookingSettings.load()
    theater_id = theater_of(show.pk)
    menu = theater_menu(theater_id)
    left = stock_left(theater_id, [entry.item.pk for entry in menu])
    prices = show_prices(show.pk) if any(entry.item.is_bundle for entry in menu) else {}
    offers = []
    for entry in menu:
        item = entry.item
        rate = rules.food_gst_rate
        if item.is_bundle:  # taxed as the tickets it covers; offered where the show sells those seats
            if item.seat_category not in prices:
                continue
            ticket = prices[item.seat_category]
            rate = rules.gst_rate_low if ticket <= rules.gst_threshold else rules.gst_rate_high
        count = left.get(item.pk)
        offers.append(MenuOffer(item=item, price=entry.price, gst_rate=rate, available=count is None or count > 0, left=count))
    return offers
