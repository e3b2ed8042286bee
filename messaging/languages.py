"""The customer's language: remembered on their account when they use the switcher, and used
for what is written to them away from a request (e-mails, texts, their PDFs)."""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

from messaging.models import LanguagePreference


def supported(code: str | None) -> str | None:
    """`code` when the site speaks it (settings.LANGUAGES), else None."""
    codes = {code for code, _ in settings.LANGUAGES}
    return code if code in codes else None


def remember(user, code: str) -> None:
    if not (user and user.is_authenticated and supported(code)):
        return
    LanguagePreference.objects.update_or_create(user=user, defaults={"language": code})


def chosen(user_id) -> str | None:
    """The language the customer chose with the switcher, if any (and still offered)."""
    if user_id is None:
        return None
    return supported(LanguagePreference.objects.filter(user_id=user_id).values_list("language", flat=True).first())


def preferred(user_id) -> str:
    """The customer's chosen language, or the site's default."""
    return chosen(user_id) or settings.LANGUAGE_CODE


@contextmanager
def speaking_to(user_id):
    """Render inside in the customer's language (translation.override restores the caller's)."""
    with translation.override(preferred(user_id)):
        yield
