"""Promo codes, edited by staff as a Wagtail snippet."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index


class PromoKind(models.TextChoices):
    PERCENT = "percent", "Percent off"
    FLAT = "flat", "Flat amount off"


class PromoCode(index.Indexed, ClusterableModel):
    code = models.CharField(max_length=30, unique=True, help_text="Customers type it in any case; stored in capitals.")
    description = models.CharField(max_length=140, blank=True)
    kind = models.CharField(max_length=8, choices=PromoKind.choices, default=PromoKind.PERCENT)
    value = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))], help_text="Percent (e.g. 20) or rupees."
    )
    max_discount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, help_text="Cap for percent codes.")
    min_order = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("0.00"), help_text="Ticket value (before fees and GST) needed."
    )
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_to = models.DateTimeField(null=True, blank=True)
    total_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Uses in all; empty for no limit.")
    per_customer_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Uses per customer; empty for no limit.")
    movies = ParentalManyToManyField(
        "cinema.MoviePage", blank=True, related_name="+", help_text="Only these movies (empty: all)."
    )
    theaters = ParentalManyToManyField("cinema.TheaterPage", blank=True, related_name="+", help_text="Only these theaters.")
    seat_categories = models.CharField(max_length=200, blank=True, help_text="Only these seat categories, comma-separated.")
    first_booking_only = models.BooleanField(default=False)
    applies_to_food = models.BooleanField(
        default=False, help_text="Also takes its discount off food and drinks (never off ticket + food bundles)."
    )
    active = models.BooleanField(default=True)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("active")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("kind"), FieldPanel("value")]), FieldPanel("max_discount")], heading="Discount"
        ),
        MultiFieldPanel(
            [
                FieldPanel("min_order"),
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
                FieldRowPanel([FieldPanel("total_limit"), FieldPanel("per_customer_limit")]),
                FieldPanel("first_booking_only"),
                FieldPanel("applies_to_food"),
            ],
            heading="Rules",
        ),
        MultiFieldPanel([FieldPanel("movies"), FieldPanel("theaters"), FieldPanel("seat_categories")], heading="Restrict to"),
    ]
    search_fields = [index.SearchField("code"), index.AutocompleteField("code")]

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code

    def clean(self):
        super().clean()
        self.code = (self.code or "").strip().upper()
        if self.kind == PromoKind.PERCENT and self.value and self.value > 100:
            raise ValidationError({"value": "A percentage can be at most 100."})
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": "The end must be after the start."})

    def save(self, *args, **kwargs):
        self.code = (self.code or "").strip().upper()
        super().save(*args, **kwargs)

    def category_list(self) -> list[str]:
        return [c.strip().lower() for c in self.seat_categories.split(",") if c.strip()]
