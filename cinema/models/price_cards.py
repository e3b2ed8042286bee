"""Price cards: editors' named pricing rules for a theater or one of its screens, and the
holiday dates the "holiday" day type reads. Shows are priced from them by
cinema.price_cards (the resolver); cinema.price_rules defines day types and time bands."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from cinema.choices import FORMATS
from cinema.price_rules import ANY, DAY_TYPES, TIME_BAND_CHOICES, describe, rules_overlap


class Holiday(models.Model):
    """A date priced as a holiday by every card's "holiday" rules, whatever weekday it is."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=80, help_text="For example Diwali or Republic Day.")

    panels = [FieldPanel("date"), FieldPanel("name")]

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.name} ({self.date:%d %b %Y})"


class PriceCardForm(WagtailAdminModelForm):
    """Refuses overlapping rules (naming both) and categories the card's screens do not have."""

    def clean(self):
        cleaned = super().clean()
        rules = self.formsets.get("rules")
        if rules is None or not rules.is_valid():
            return cleaned
        live = [f.instance for f in rules.forms if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")]
        for index, rule in enumerate(live):
            for earlier in live[:index]:
                if rules_overlap(earlier, rule):
                    self.add_error(
                        None,
                        f"Rules “{describe(earlier)}” and “{describe(rule)}” overlap: a show could match both. "
                        "Narrow one of them or remove it.",
                    )
        categories = _categories_of(cleaned.get("theater"), cleaned.get("screen"))
        if categories is not None:
            known = {c.lower() for c in categories}
            for rule in live:
                if rule.category.strip().lower() not in known:
                    self.add_error(
                        None,
                        f"“{rule.category.strip()}” is not a seat category of this card's screens "
                        f"(their categories: {', '.join(categories) or 'none'}).",
                    )
        return cleaned


def _categories_of(theater, screen) -> list[str] | None:
    if screen is not None:
        return screen.seat_layout.category_names()
    if theater is not None:
        found: list[str] = []
        for each in theater.screens.select_related("seat_layout"):
            found += [c for c in each.seat_layout.category_names() if c not in found]
        return found
    return None


class PriceCard(ClusterableModel):
    """Named pricing rules for a whole theater or one screen. For a show, a matching rule of
    its screen's card wins over one of its theater's card."""

    name = models.CharField(max_length=80, unique=True, help_text="For example “Juhu standard prices”.")
    theater = models.ForeignKey(
        "cinema.TheaterPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="price_cards",
        help_text="Prices every screen of this theater (unless the screen has a card of its own).",
    )
    screen = models.ForeignKey(
        "cinema.Screen",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="price_cards",
        help_text="Or: prices only this screen; its rules win over the theater's card.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    base_form_class = PriceCardForm
    panels = [
        HelpPanel(
            content=(
                "A show takes, for each seat category, the price of the one rule that matches its screen's seat "
                "category, the day it starts on, its start time and its format. Leave a field at “Any” to match "
                "every value. Time bands by start time (IST): morning 06:00–11:59, matinee 12:00–15:59, "
                "evening 16:00–19:59, night 20:00–05:59. Holidays are the dates in Cinema › Holidays. "
                "Saving re-prices future shows that nobody has booked and whose prices were not typed by hand."
            )
        ),
        FieldPanel("name"),
        MultiFieldPanel([FieldPanel("theater"), FieldPanel("screen")], heading="Applies to (one of)"),
        InlinePanel("rules", label="Rule", heading="Rules (₹ per seat, before GST)", min_num=1),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(theater__isnull=True, screen__isnull=False)
                | models.Q(theater__isnull=False, screen__isnull=True),
                name="price_card_for_theater_or_screen",
                violation_error_message="Choose a theater or a screen for the card, not both.",
            ),
            models.UniqueConstraint(
                fields=["theater"],
                condition=models.Q(screen__isnull=True),
                name="one_price_card_per_theater",
                violation_error_message="This theater already has a price card; edit that one.",
            ),
            models.UniqueConstraint(
                fields=["screen"],
                name="one_price_card_per_screen",
                violation_error_message="This screen already has a price card; edit that one.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def applies_to(self) -> str:
        return str(self.screen) if self.screen_id else (self.theater.title if self.theater_id else "—")

    def clean(self):
        super().clean()
        if bool(self.theater_id) == bool(self.screen_id):
            raise ValidationError("Choose a theater or a screen for the card, not both.")


class PriceRule(Orderable):
    """One line of a card: seat category × day type × time band × format → price before GST."""

    card = ParentalKey(PriceCard, on_delete=models.CASCADE, related_name="rules")
    category = models.CharField(max_length=40, help_text="A seat category of the screens, for example Prime.")
    day_type = models.CharField(max_length=8, choices=DAY_TYPES, blank=True, default=ANY)
    time_band = models.CharField(max_length=8, choices=TIME_BAND_CHOICES, blank=True, default=ANY)
    format = models.CharField(max_length=5, choices=[(ANY, "Any format"), *FORMATS], blank=True, default=ANY)
    amount = models.DecimalField(
        "price (₹)",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1.00"), "A price must be at least ₹1.")],
    )

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("day_type"), FieldPanel("time_band"), FieldPanel("format")]),
        FieldPanel("amount"),
    ]

    class Meta(Orderable.Meta):
        pass

    def __str__(self):
        return f"{describe(self)}: ₹{self.amount}"
