"""The food-and-drinks menu editors manage: concession items (a bundle of seats and food is one
of them) and what each theater changes of it (off the menu, another price).

Stock counts and the items on bookings are ticketing's: this is editor content only."""

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, PreviewableMixin
from wagtail.search import index

MAX_PRICE = Decimal("99999.99")
PRICE = [MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_PRICE)]
SKU_HELP = "Short code staff and the API use, e.g. POP-L. Capitals, digits and dashes."
# The sizes menu pictures are shown at (the booking page's rows, the menu API): made when the
# item is saved, so the first customer to see the menu does not wait for them.
MENU_PICTURES = ("fill-160x120", "fill-320x240")
log = logging.getLogger("marquee.cinema")


class ConcessionCategory(models.TextChoices):
    POPCORN = "popcorn", "Popcorn"
    SNACKS = "snacks", "Snacks"
    DRINKS = "drinks", "Drinks"
    DESSERTS = "desserts", "Desserts"
    COMBOS = "combos", "Combos"
    BUNDLES = "bundles", "Ticket + food bundles"


class DietMark(models.TextChoices):
    """The square-and-dot mark Indian menus print: green for vegetarian, brown for not."""

    VEG = "veg", _("Vegetarian")
    NON_VEG = "non_veg", _("Non-vegetarian")


def normalise_sku(value: str) -> str:
    return (value or "").strip().upper()


def check_sku(value: str) -> None:
    sku = normalise_sku(value)
    if not sku or len(sku) > 20 or not all(c.isascii() and (c.isalnum() or c == "-") for c in sku):
        raise ValidationError("Use up to 20 capitals, digits and dashes, e.g. POP-L.")


class ConcessionItem(PreviewableMixin, index.Indexed, ClusterableModel):
    """One thing the stand sells, at one price before GST. A bundle (``seats_included`` > 0)
    also covers that many seats of ``seat_category`` and is taxed as a ticket (composite
    supply); every other item is taxed at Booking settings' food rate."""

    sku = models.CharField(max_length=20, unique=True, validators=[check_sku], help_text=SKU_HELP)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=200, blank=True)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    price = models.DecimalField(max_digits=7, decimal_places=2, validators=PRICE, help_text="Rupees, before GST.")
    diet = models.CharField(max_length=8, choices=DietMark.choices, default=DietMark.VEG)
    allergens = models.CharField(max_length=200, blank=True, help_text="Comma-separated, e.g. milk, gluten, nuts.")
    category = models.CharField(max_length=10, choices=ConcessionCategory.choices, default=ConcessionCategory.POPCORN)
    seats_included = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(10)], help_text="Bundles only: seats the bundle's price covers."
    )
    seat_category = models.CharField(max_length=40, blank=True, help_text="Bundles only: the seat category it covers.")
    active = models.BooleanField(default=True, help_text="Off: on no theater's menu.")
    sort_order = models.PositiveSmallIntegerField(default=100, help_text="Lower comes first within its category.")

    panels = [
        FieldRowPanel([FieldPanel("sku"), FieldPanel("active")]),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("image"),
        FieldRowPanel([FieldPanel("price"), FieldPanel("category"), FieldPanel("diet")]),
        FieldPanel("allergens"),
        MultiFieldPanel([FieldPanel("seats_included"), FieldPanel("seat_category")], heading="Ticket + food bundle"),
        FieldPanel("sort_order"),
        InlinePanel("theater_overrides", label="At a theater", heading="Per theater"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("sku"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["category", "sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="concession_price_positive"),
            models.CheckConstraint(condition=Q(seats_included=0) | ~Q(seat_category=""), name="concession_bundle_names_category"),
        ]

    def __str__(self):
        return f"{self.name} ({self.sku})"

    @property
    def is_bundle(self) -> bool:
        return self.seats_included > 0

    def allergen_list(self) -> list[str]:
        return [a.strip() for a in self.allergens.split(",") if a.strip()]

    def clean(self):
        super().clean()
        self.sku = normalise_sku(self.sku)
        if self.sku and ConcessionItem.objects.filter(sku=self.sku).exclude(pk=self.pk).exists():
            raise ValidationError({"sku": f"Another item already has the SKU {self.sku}."})
        if self.seats_included and not self.seat_category.strip():
            raise ValidationError({"seat_category": "Name the seat category the bundle covers, e.g. Recliner."})
        if not self.seats_included and self.seat_category.strip():
            raise ValidationError({"seats_included": "A bundle covers at least one seat; or leave the category empty."})
        if self.seats_included and self.category != ConcessionCategory.BUNDLES:
            raise ValidationError({"category": "An item that includes seats belongs under “Ticket + food bundles”."})

    def save(self, *args, **kwargs):
        self.sku = normalise_sku(self.sku)
        self.seat_category = self.seat_category.strip()
        super().save(*args, **kwargs)
        if self.image_id:
            try:
                self.image.get_renditions(*MENU_PICTURES)
            except Exception:  # an unreadable file: the menu shows the item without its picture
                log.warning("menu pictures for %s could not be made", self.sku, exc_info=True)

    def get_preview_template(self, request, mode_name):
        return "cinema/concession_preview.html"

    @property
    def default_preview_size(self):
        return "mobile"


class TheaterConcession(Orderable):
    """What one theater changes: the item off its menu, or at another price."""

    item = ParentalKey(ConcessionItem, on_delete=models.CASCADE, related_name="theater_overrides")
    theater = models.ForeignKey("cinema.TheaterPage", on_delete=models.CASCADE, related_name="concession_overrides")
    available = models.BooleanField(default=True, help_text="Off: not sold at this theater.")
    price = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=PRICE, help_text="Empty: the item's own price."
    )

    panels = [FieldRowPanel([FieldPanel("theater"), FieldPanel("available"), FieldPanel("price")])]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["item", "theater"], name="one_concession_override_per_theater"),
            models.CheckConstraint(condition=Q(price__isnull=True) | Q(price__gt=0), name="concession_override_price_positive"),
        ]

    def __str__(self):
        return f"{self.item_id} at {self.theater_id}"
