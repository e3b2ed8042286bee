"""Bookings: a customer's seats at one show, from hold to confirmation (or expiry)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

# No 0/O/1/I: references are read out over the phone at the box office.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """Random, unguessable, not sequential: MQ + 8 characters (~40 bits)."""
    return "MQ" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class BookingState(models.TextChoices):
    HELD = "held", "Held"
    PAYMENT_PENDING = "payment_pending", "Payment pending"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"
    EXPIRED = "expired", "Expired"


class Booking(models.Model):
    """Only services in ticketing/services change a booking's state, under a row lock."""

    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    show = models.ForeignKey("cinema.ShowPage", on_delete=models.PROTECT, related_name="bookings")
    state = models.CharField(max_length=16, choices=BookingState.choices, default=BookingState.HELD, db_index=True)
    seats = models.JSONField(default=list, help_text="Seat labels asked for, kept after the hold ends.")
    held_until = models.DateTimeField(null=True, blank=True)
    promo = models.ForeignKey("ticketing.PromoCode", null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A customer has at most one hold per show: a new hold replaces it.
            models.UniqueConstraint(fields=["user", "show"], condition=Q(state="held"), name="one_hold_per_customer_show"),
            models.CheckConstraint(condition=Q(state__in=[s.value for s in BookingState]), name="booking_state_valid"),
        ]
        indexes = [models.Index(fields=["state", "held_until"])]

    def __str__(self):
        return self.reference
