"""A customer's mobile number, and the sent-log of texts: one row per message and purpose."""

from django.conf import settings
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"


class MobileNumber(models.Model):
    """One number per account, unique across accounts (stored E.164), so it can sign its owner
    in. Texts go to it only once it is verified and only on the channels the customer chose."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mobile")
    number = PhoneNumberField(region="IN", unique=True)
    verified = models.BooleanField(default=False)
    sms_opt_in = models.BooleanField("Tickets by SMS", default=False)
    whatsapp_opt_in = models.BooleanField("Tickets on WhatsApp", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [("view_customer_phone", "Can see customers' mobile numbers in full")]

    def __str__(self):
        return f"{self.user_id}: {self.number}"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will retry)"
    SKIPPED = "skipped", "Not sent"


class SentMessage(models.Model):
    """`key` ("booking_confirmed:MQ…:sms") makes a text once per purpose and channel; a worker
    claims the row with a conditional UPDATE, as the e-mail sent-log does."""

    key = models.CharField(max_length=160, unique=True)
    purpose = models.CharField(max_length=40, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    booking_reference = models.CharField(max_length=20, blank=True, db_index=True)
    to_number = models.CharField(max_length=20)
    body = models.TextField()
    template_id = models.CharField("DLT template id", max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED, db_index=True)
    provider_id = models.CharField(max_length=80, blank=True, help_text="The provider's id for the message.")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "sent text message"

    def __str__(self):
        return f"{self.purpose} ({self.channel})"


class LanguagePreference(models.Model):
    """The language a customer chose with the site's switcher: their e-mails and texts are
    written in it, and signing in on another device brings it back (messaging/languages.py).
    A code from settings.LANGUAGES; no row means the site's default language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference")
    language = models.CharField(max_length=10)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user_id}: {self.language}"
