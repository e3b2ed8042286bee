"""A read-only panel on the show editor: which price card priced each seat category."""

from django.utils.html import format_html, format_html_join
from wagtail.admin.panels import HelpPanel

from cinema.price_rules import describe

EMPTY = "No prices yet. Leave the prices empty to fill them from the screen's or theater's price card when you save."


def priced_by_lines(show) -> list[str]:
    """ "Prime ₹250.00: card “Juhu” (Prime · weekend · evening · any format)" per price."""
    lines = []
    for price in show.prices.all():
        if not price.from_card:
            source = "typed by hand (overrides the card; never re-priced)"
        elif price.rule_id is None:
            source = "from a price card rule that has since been removed"
        else:
            source = f"card “{price.rule.card.name}” ({describe(price.rule)})"
        lines.append(f"{price.category} ₹{price.amount}: {source}")
    return lines


class PricedByPanel(HelpPanel):
    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            lines = priced_by_lines(self.instance) if self.instance is not None else []
            self.content = (
                format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines)))
                if lines
                else format_html("<p>{}</p>", EMPTY)
            )
