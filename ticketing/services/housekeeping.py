"""Hourly tidying: re-queue e-mails and texts that failed or whose worker died, drop old sandbox
gateway records and expired sessions. Every step is safe to run twice."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from messaging.delivery import retry_stale_texts
from ticketing.models import SandboxOrder, SandboxPayment, SandboxRefund
from ticketing.services.mail import retry_stale_emails

SANDBOX_KEEP = timedelta(days=30)


def housekeeping(now=None) -> dict:
    now = now or timezone.now()
    old = now - SANDBOX_KEEP
    sandbox = 0
    for model in (SandboxRefund, SandboxPayment, SandboxOrder):  # children first
        sandbox += model.objects.filter(created_at__lt=old).delete()[0]
    return {
        "emails_requeued": retry_stale_emails(),
        "texts_requeued": retry_stale_texts(),
        "sandbox_rows_deleted": sandbox,
        "sessions_deleted": Session.objects.filter(expire_date__lt=now).delete()[0],
    }
