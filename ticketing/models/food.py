"""Food and drinks on bookings: the stock a theater has of an item, the items a booking
carries (priced by quote(), copied here so a menu edit never changes a sale), and the pickup
code the stand scans once."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .bookings import random_letters

MAX_QUANTITY = 20  # of one item on one booking


def new_pickup_code() -> str:
    """FD + 8 characters: typed at the stand as easily as a booking reference."""
    return "FD" + random_letters(8)


class ConcessionStock(models.Model):
    """How many of an item a theater has left. No row: not counted (never sold out). Taken
    with one conditional UPDATE (``quantity >= asked``) when a booking moves to payment."""

    theater = models.ForeignKey("cinema.TheaterPage", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("cinema.ConcessionItem", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(help_text="Left to sell; 0 shows the item as sold out.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "food stock"
        verbose_name_plural = "food stock"
        constraints = [
            models.UniqueConstraint(fields=["theater", "item"], name="one_stock_count_per_theater_item"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="concession_stock_not_negative"),
        ]

    def __str__(self):
        return f"{self.item} · {self.quantity}"


class BookingItem(models.Model):
    """An item on a booking, as priced when it was chosen. ``stock_taken``: this line holds
    its quantity of the theater's stock (from checkout until the sale is undone)."""

    booking = models.ForeignKey("ticketing.Booking", on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("cinema.ConcessionItem", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=20)
    name = models.CharField(max_length=80)
    quantity = models.PositiveSmallIntegerField()
    unit_price = models.DecimalField(max_digits=7, decimal_places=2)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    seats_included = models.PositiveSmallIntegerField(default=0)
    seat_category = models.CharField(max_length=40, blank=True)
    stock_taken = models.BooleanField(default=False)

    class Meta:
        ordering = ["booking_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "sku"], name="one_line_per_sku_per_booking"),
            models.CheckConstraint(condition=Q(quantity__gte=1) & Q(quantity__lte=MAX_QUANTITY), name="booking_item_quantity"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.name}"


class FoodPickup(models.Model):
    """A confirmed booking's food, handed over once: collecting is one conditional UPDATE on
    ``collected_at IS NULL``."""

    booking = models.OneToOneField("ticketing.Booking", on_delete=models.CASCADE, related_name="pickup")
    code = models.CharField(max_length=10, unique=True, default=new_pickup_code, editable=False)
    collected_at = models.DateTimeField(null=True, blank=True)
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        permissions = [("hand_over_food", "Can hand over food and drinks at the stand")]

    def __str__(self):
        return self.code
