"""The offline sandbox gateway's own records: what Razorpay would remember about an order.

Only the SandboxGateway reads and writes these; the app sees them through the gateway
interface exactly as it sees Razorpay's answers.
"""

from django.db import models


class SandboxOrder(models.Model):
    order_id = models.CharField(max_length=40, unique=True)
    amount = models.PositiveIntegerField(help_text="Paise.")
    currency = models.CharField(max_length=3, default="INR")
    receipt = models.CharField(max_length=40)
    notes = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, default="created")  # created | attempted | paid
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.order_id


class SandboxPayment(models.Model):
    payment_id = models.CharField(max_length=40, unique=True)
    order = models.ForeignKey(SandboxOrder, on_delete=models.CASCADE, related_name="payments")
    amount = models.PositiveIntegerField(help_text="Paise.")
    status = models.CharField(max_length=16)  # captured | failed
    method = models.CharField(max_length=16, default="card")
    error_description = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.payment_id


class SandboxRefund(models.Model):
    refund_id = models.CharField(max_length=40, unique=True)
    payment = models.ForeignKey(SandboxPayment, on_delete=models.CASCADE, related_name="refunds")
    amount = models.PositiveIntegerField(help_text="Paise.")
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.refund_id
