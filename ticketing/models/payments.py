"""Gateway payments, their webhook events and refunds: every rupee that moved, with its id.

Unique gateway ids (order, payment, event, refund idempotency key) are what make the
finalizer and the refund task safe to repeat.
"""

import secrets

from django.conf import settings
from django.db import models


class PaymentStatus(models.TextChoices):
    CREATED = "created", "Order created"
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"


class Payment(models.Model):
    """One gateway order for a booking's payable part, and the payment made against it."""

    booking = models.ForeignKey("ticketing.Booking", on_delete=models.PROTECT, related_name="payments")
    gateway = models.CharField(max_length=16)
    order_id = models.CharField(max_length=64, unique=True)
    payment_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, help_text="Rupees asked for in the order.")
    amount_paid = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.CREATED, db_index=True)
    method = models.CharField(max_length=32, blank=True)
    error = models.TextField(blank=True, help_text="Why the gateway said the payment failed.")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.payment_id or self.order_id


class PaymentEvent(models.Model):
    """A webhook delivery, stored once per event id: the 20th delivery of an event is a no-op."""

    event_id = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=64)
    order_id = models.CharField(max_length=64, blank=True, db_index=True)
    payment_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict)
    result = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [  # the reconcile task's look for events never processed (broker down)
            models.Index(fields=["received_at"], condition=models.Q(result=""), name="paymentevent_unprocessed"),
        ]

    def __str__(self):
        return f"{self.event} {self.event_id}"


class RefundDestination(models.TextChoices):
    WALLET = "wallet", "Wallet"
    SOURCE = "source", "Original payment method"
    COUNTER = "counter", "Back at the counter"


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"


def new_refund_key() -> str:
    return "rfnd_" + secrets.token_hex(12)


class Refund(models.Model):
    """Money going back for a booking. Gateway refunds are sent by a retried task with this
    row's idempotency key, so a retry never refunds twice."""

    booking = models.ForeignKey("ticketing.Booking", on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds")
    destination = models.CharField(max_length=8, choices=RefundDestination.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=16, choices=RefundStatus.choices, default=RefundStatus.PENDING, db_index=True)
    reason = models.CharField(max_length=255)
    idempotency_key = models.CharField(max_length=40, unique=True, default=new_refund_key, editable=False)
    gateway_refund_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self):
        return f"{self.get_destination_display()} refund of ₹{self.amount} for {self.booking_id}"
