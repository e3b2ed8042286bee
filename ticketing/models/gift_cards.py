"""Gift cards: a voucher bought like a booking (its purchase is a Booking with no show) and
redeemed once into the recipient's wallet.

The code itself is never stored: ``seed`` and the server's secret derive it
(ticketing/services/gift_codes.py), and ``code_digest`` (its SHA-256, unique) is how a
redemption finds the card. A copy of the database alone redeems nothing.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GiftCardState(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    ISSUED = "issued", _("Issued")
    REDEEMED = "redeemed", _("Redeemed")
    REFUNDED = "refunded", _("Refunded")


def new_seed() -> str:
    return secrets.token_hex(16)


class GiftCard(models.Model):
    """Only ticketing/services/gift_cards.py changes a card's state, by conditional UPDATE."""

    booking = models.OneToOneField("ticketing.Booking", on_delete=models.PROTECT, related_name="gift_card")
    amount = models.DecimalField(max_digits=10, decimal_places=2, help_text="Face value in rupees, credited when redeemed.")
    recipient_email = models.EmailField(blank=True)
    recipient_phone = models.CharField(max_length=16, blank=True, help_text="E.164, e.g. +919876543210.")
    message = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=GiftCardState.choices, default=GiftCardState.PENDING)
    seed = models.CharField(max_length=32, default=new_seed, editable=False)
    code_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    code_last4 = models.CharField("code ends", max_length=4, blank=True, editable=False)
    issued_at = models.DateTimeField(null=True, blank=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    wallet_entry = models.OneToOneField(
        "wallet.WalletTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="gift_card",
        help_text="The ledger row that credited it.",
    )  # fmt: skip
    refunded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["code_digest"], name="gift_card_code_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="gift_card_amount_positive"),
            models.CheckConstraint(condition=~Q(recipient_email="") | ~Q(recipient_phone=""), name="gift_card_has_recipient"),
            models.CheckConstraint(condition=Q(state__in=[s.value for s in GiftCardState]), name="gift_card_state_valid"),
        ]
        indexes = [models.Index(fields=["state", "issued_at"], name="gift_card_state")]
        permissions = [("refund_gift_card", "Can refund a gift card that was not redeemed")]

    def __str__(self):
        return f"Gift card {self.booking.reference if self.booking_id else ''} of ₹{self.amount}".strip()

    @property
    def recipient(self) -> str:
        return self.recipient_email or self.recipient_phone
