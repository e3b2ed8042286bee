"""The demo's price cards: one per theater, one more for each recliner lounge screen, and a
few holidays, so every demo show is priced from a card as editors' shows would be."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cinema.choices import SCREEN_SUPPORTS
from cinema.models import Holiday, PriceCard, PriceRule, TheaterPage

# ₹ per seat before GST on a weekday; weekends and holidays cost WEEKEND_EXTRA more and premium
# formats their surcharge. Lounge screens have a card of their own, which wins over the theater's.
BASE = {"Recliner": 520, "Prime": 280, "Classic": 170}
LOUNGE_RECLINER = 690
WEEKEND_EXTRA = 30
FORMAT_SURCHARGE = {"2D": 0, "3D": 60, "IMAX": 150, "4DX": 150}
MAX_PRICE = 750
LOUNGE_LAYOUT = "Lounge (60 recliners)"
HOLIDAYS = [
    (date(2026, 12, 25), "Christmas"),
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 1, 26), "Republic Day"),
    (date(2027, 3, 22), "Holi"),
    (date(2027, 8, 15), "Independence Day"),
    (date(2027, 10, 2), "Gandhi Jayanti"),
]


def _price(base: int, day_type: str, fmt: str) -> Decimal:
    extra = 0 if day_type == "weekday" else WEEKEND_EXTRA
    return Decimal(min(base + extra + FORMAT_SURCHARGE.get(fmt, 0), MAX_PRICE))


def ensure_holidays() -> None:
    for day, name in HOLIDAYS:
        Holiday.objects.get_or_create(date=day, defaults={"name": name})


def ensure_price_cards(theaters: list[TheaterPage]) -> None:
    """Looked up by name; an existing card (perhaps edited since) is left as it is."""
    for theater in theaters:
        screens = list(theater.screens.select_related("seat_layout"))
        formats = sorted({fmt for screen in screens for fmt in SCREEN_SUPPORTS.get(screen.format, {"2D"})})
        categories = [c for c in BASE if any(c in s.seat_layout.category_names() for s in screens)]
        rules = [
            PriceRule(category=category, day_type=day_type, format=fmt, amount=_price(BASE[category], day_type, fmt))
            for category in categories
            for fmt in formats
            for day_type in ("weekday", "weekend", "holiday")
        ]
        _ensure_card(f"{theater.title} prices", rules, theater=theater)
        for screen in screens:
            if screen.seat_layout.name == LOUNGE_LAYOUT:
                lounge = [
                    PriceRule(category="Recliner", day_type=day_type, amount=_price(LOUNGE_RECLINER, day_type, "2D"))
                    for day_type in ("weekday", "weekend", "holiday")
                ]
                _ensure_card(f"{theater.title} {screen.name} prices", lounge, screen=screen)


def _ensure_card(name: str, rules: list[PriceRule], **applies_to) -> None:
    if PriceCard.objects.filter(name=name).exists() or PriceCard.objects.filter(**applies_to).exists():
        return
    card = PriceCard(name=name, **applies_to)
    card.rules = rules
    card.save()
