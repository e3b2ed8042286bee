"""Optional error reporting to Sentry (`SENTRY_DSN`).

The Django integration reports request errors; the logging integration turns every ERROR log
line into an event, which is how a failed django-q2 task is reported (its monitor logs
"Failed '<task>' …" at ERROR on the `django-q` logger). No personal data is sent by default:
customers' names and e-mail addresses stay out of the reports."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured


def init_sentry(env: Mapping[str, str]) -> bool:
    """Start the Sentry SDK when SENTRY_DSN is set; answer whether it was started."""
    dsn = env.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    try:
        traces = float(env.get("SENTRY_TRACES_SAMPLE_RATE", "0") or 0)
    except ValueError:
        raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number between 0 and 1.") from None
    import sentry_sdk  # only production with a DSN needs the SDK loaded
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=env.get("SENTRY_ENVIRONMENT", "production"),
        release=env.get("SENTRY_RELEASE") or None,
        traces_sample_rate=traces,
        send_default_pii=False,
        integrations=[DjangoIntegration(), LoggingIntegration(level=logging.INFO, event_level=logging.ERROR)],
    )
    return True
