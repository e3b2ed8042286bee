"""Building price cards in tests: straight to the database, as seed data would."""

from decimal import Decimal

from cinema.models import PriceCard, PriceRule


def make_card(name="Card", theater=None, screen=None, rules=()) -> PriceCard:
    """``rules``: (category, amount) or (category, amount, {day_type/time_band/format}) tuples."""
    card = PriceCard(name=name, theater=theater, screen=screen)
    built = []
    for index, spec in enumerate(rules):
        category, amount, *rest = spec
        built.append(PriceRule(category=category, amount=Decimal(amount), sort_order=index, **(rest[0] if rest else {})))
    card.rules = built
    card.save()
    return card
