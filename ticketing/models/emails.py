"""The sent-log: one row per e-mail we mean to send, so each goes out once per booking and kind."""

from django.conf import settings
from django.db import models


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will retry)"
    DELIVERED = "delivered", "Delivered"
    BOUNCED = "bounced", "Bounced"
    REJECTED = "rejected", "Rejected"
    COMPLAINED = "complained", "Marked as spam"
    SKIPPED = "skipped", "Not sent (no address)"


class SentEmail(models.Model):
    """`key` is the idempotency key (e.g. "booking_confirmed:MQ…"): a retried or repeated task
    finds the row and sends nothing more. Tracking webhooks update `status` by `message_id`."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=40, db_index=True)
    booking = models.ForeignKey("ticketing.Booking", null=True, blank=True, on_delete=models.CASCADE, related_name="emails")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_email = models.EmailField(blank=True)
    subject = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=EmailStatus.choices, default=EmailStatus.QUEUED, db_index=True)
    message_id = models.CharField(max_length=200, blank=True, db_index=True, help_text="The ESP's id for the message.")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker started sending it.")
    sent_at = models.DateTimeField(null=True, blank=True)
    context = models.JSONField(default=dict, blank=True, help_text="Ids the message is built from.")
    events = models.JSONField(default=list, blank=True, help_text="Tracking events from the ESP, oldest first.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "sent e-mail"

    def __str__(self):
        return f"{self.kind} → {self.to_email}"
