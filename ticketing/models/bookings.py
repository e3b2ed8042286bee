"""Bookings: a customer's seats at one show, from hold to confirmation (or expiry)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ticketing.storage import tickets_storage

# No 0/O/1/I: references are read out over the phone at the box office.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
assert len(REFERENCE_ALPHABET) == 32  # a letter is 5 bits of a random byte


def random_letters(count: int) -> str:
    """``count`` letters of REFERENCE_ALPHABET, 5 random bits each, from one read of the
    system's random source (``secrets.choice`` reads it once a letter, on every hold)."""
    return "".join([REFERENCE_ALPHABET[byte & 31] for byte in secrets.token_bytes(count)])


def new_reference() -> str:
    """Random, unguessable, not sequential: MQ + 8 characters (~40 bits)."""
    return "MQ" + random_letters(8)


class BookingState(models.TextChoices):
    HELD = "held", _("Held")
    PAYMENT_PENDING = "payment_pending", _("Payment pending")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")
    EXPIRED = "expired", _("Expired")


class PaymentMode(models.TextChoices):
    WALLET = "wallet", "Wallet"
    GATEWAY = "gateway", "Gateway"
    MIXED = "mixed", "Wallet + gateway"
    COUNTER = "counter", "At the counter"
    # A supervisor's complimentary counter sale: quote() prices it at zero (no consideration).
    COMPLIMENTARY = "complimentary", "Complimentary"


class BookingChannel(models.TextChoices):
    """Where the booking was made: a counter booking's customer is the staff member who sold
    it, so customer pages list online bookings only."""

    ONLINE = "online", "Online"
    COUNTER = "counter", "Box office counter"


class Booking(models.Model):
    """Only services in ticketing/services change a booking's state, under a row lock."""

    reference = models.CharField(max_length=12, default=new_reference, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    # None: a gift card's purchase (ticketing/models/gift_cards.py), paid like any booking.
    show = models.ForeignKey("cinema.ShowPage", null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    state = models.CharField(max_length=16, choices=BookingState.choices, default=BookingState.HELD)
    seats = models.JSONField(default=list, help_text="Seat labels asked for, kept after the hold ends.")
    held_until = models.DateTimeField(null=True, blank=True)
    promo = models.ForeignKey(
        "ticketing.PromoCode", null=True, blank=True, on_delete=models.PROTECT, related_name="bookings", db_index=False
    )
    # Frozen at checkout from quote(): what the customer agreed to pay and how.
    total = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    wallet_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0, help_text="Taken from the wallet.")
    gateway_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0, help_text="Payable through the gateway.")
    payment_mode = models.CharField(max_length=13, choices=PaymentMode.choices, blank=True)
    channel = models.CharField(max_length=8, choices=BookingChannel.choices, default=BookingChannel.ONLINE)
    price_breakdown = models.JSONField(default=dict, blank=True, help_text="The quote at checkout, as shown to the customer.")
    # A business invoice: the customer's GST registration, named on the tax invoice.
    business_gstin = models.CharField("business GSTIN", max_length=15, blank=True)
    business_name = models.CharField(max_length=200, blank=True)
    # An A-rated film: who confirmed being 18 or older for this hold, and when.
    age_confirmed_at = models.DateTimeField(null=True, blank=True)
    age_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_value = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=0,
        help_text="What the seats cancelled on their own were worth (refund + fee kept): the rest is worth total − this.",
    )
    tickets_pdf = models.FileField(storage=tickets_storage, upload_to="tickets/%Y/%m/", blank=True, editable=False)
    has_items = models.BooleanField(default=False, help_text="Carries food and drinks: only then are its items read.")
    needs_attention = models.BooleanField(default=False)
    attention_note = models.TextField(blank=True, help_text="Why staff should look at this booking.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A customer has at most one hold per show: a new hold replaces it.
            models.UniqueConstraint(fields=["user", "show"], condition=Q(state="held"), name="one_hold_per_customer_show"),
            models.CheckConstraint(condition=Q(state__in=[s.value for s in BookingState]), name="booking_state_valid"),
            models.UniqueConstraint(fields=["reference"], name="booking_reference_unique"),
        ]
        # Few, mostly partial indexes: every index is written on each state change, and a
        # booking changes state several times (held → pending → confirmed; held → expired in
        # the sweep, 20,000 at a time in an opening-night rush). Partial indexes hold only the
        # rows the sweep, the reconcile task and the attention panel look for.
        indexes = [
            models.Index(fields=["held_until"], condition=Q(state="held"), name="booking_hold_expiry"),
            models.Index(fields=["updated_at"], condition=Q(state="payment_pending"), name="booking_pending_since"),
            models.Index(fields=["updated_at"], condition=Q(needs_attention=True), name="booking_needs_attention"),
            models.Index(fields=["promo"], condition=Q(promo__isnull=False), name="booking_promo"),
        ]
        permissions = [
            ("cancel_booking", "Can cancel and refund bookings"),
            ("cancel_show", "Can cancel a show and refund it"),
            ("resend_tickets", "Can re-send a booking's tickets"),
            ("view_reports", "Can view sales, occupancy and wallet reports"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_gift_card(self) -> bool:
        """A gift card's purchase: no show, no seats; confirming it issues the card's code."""
        return self.show_id is None

    def save(self, *args, **kwargs):
        """Wagtail's reference index records only a booking's links (customer, show, promo code).
        A save that names its fields and touches none of those links (every state change on the
        checkout path) cannot change the index, so it skips the index's re-read and rewrite
        (four statements inside the locked transaction)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self._state.adding or _touches_references(update_fields):
            return super().save(*args, **kwargs)
        from wagtail.signal_handlers import disable_reference_index_auto_update, reference_index_auto_update_disabled

        if getattr(reference_index_auto_update_disabled, "value", False):  # already off: leave it so
            return super().save(*args, **kwargs)
        with disable_reference_index_auto_update():
            return super().save(*args, **kwargs)


# The confirmer is the booking's own customer: nothing for the reference index to add.
Booking._meta.get_field("age_confirmed_by").wagtail_reference_index_ignore = True


def _touches_references(update_fields) -> bool:
    """Whether saving these fields could change what the reference index holds for a booking:
    its foreign keys and any field that carries references of its own (StreamField, rich text)."""
    fields = {Booking._meta.get_field(name) for name in update_fields}
    return any(
        (field.is_relation and field.many_to_one and not getattr(field, "wagtail_reference_index_ignore", False))
        or hasattr(field, "extract_references")
        for field in fields
    )
