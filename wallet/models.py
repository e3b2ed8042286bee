"""A customer's wallet: a balance and the append-only ledger that explains every rupee of it.

The balance is changed only by wallet.services, under a row lock, in the same transaction as
its ledger row; the database refuses a negative balance (CHECK) and the ledger refuses edits.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Wallet(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wallet")
    balance = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="wallet_balance_not_negative")]
        permissions = [("issue_refund", "Can credit and refund customers' wallets")]

    def __str__(self):
        return f"Wallet of {self.user.email or self.user.get_username()}"


class TransactionKind(models.TextChoices):
    CREDIT = "credit", _("Credit")
    REFUND = "refund", _("Refund")
    BOOKING_PAYMENT = "booking_payment", _("Booking payment")
    BOOKING_RELEASE = "booking_release", _("Booking payment returned")
    ADJUSTMENT = "adjustment", _("Adjustment")
    GIFT_CARD = "gift_card", _("Gift card redeemed")


class ReadOnlyLedger(Exception):
    """Ledger rows are never edited or deleted: a mistake is corrected by a new adjustment."""


class WalletTransaction(models.Model):
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="transactions")
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="Signed: credits are positive.")
    kind = models.CharField(max_length=16, choices=TransactionKind.choices, db_index=True)
    reason = models.CharField(max_length=255)
    booking = models.ForeignKey(
        "ticketing.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="wallet_transactions"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    balance_after = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="wallet_transaction_not_zero"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in TransactionKind]), name="wallet_transaction_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} ({self.reason})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ReadOnlyLedger("Ledger rows cannot be changed; record an adjustment instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReadOnlyLedger("Ledger rows cannot be deleted; record an adjustment instead.")
