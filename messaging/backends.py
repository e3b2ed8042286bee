"""Where texts go: a provider interface, the console (development, tests) and Twilio.

A backend's `send(to, body, channel, template_id)` returns the provider's message id or raises;
the sent-log (messaging/delivery.py) decides when to call it and records what came back.
MESSAGING_BACKEND picks one: console (default) or twilio.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import get_random_string

from messaging.models import Channel

log = logging.getLogger("marquee.messaging")


class MessagingBackend:
    def send(self, to: str, body: str, channel: str, template_id: str = "") -> str:
        raise NotImplementedError


class ConsoleBackend(MessagingBackend):
    """Logs the text instead of sending it, so development and the demo need no account."""

    sent: list[dict] = []  # the latest texts, for the demo and tests to read

    def send(self, to, body, channel, template_id=""):
        message_id = f"console-{get_random_string(12)}"
        entry = {"to": to, "body": body, "channel": channel, "template_id": template_id, "id": message_id}
        ConsoleBackend.sent = [*ConsoleBackend.sent[-99:], entry]
        # The id matches the line to its sent-log row (provider_id), e.g. a one-time code's.
        log.info("%s to %s (%s): %s", channel, to, message_id, body, extra={"template_id": template_id})
        return message_id


class TwilioBackend(MessagingBackend):
    """Twilio's SDK for SMS and WhatsApp ("whatsapp:+91…" on both ends). SMS leave from the
    Messaging Service when one is set (it holds the DLT-registered sender id), else from
    MESSAGING_SMS_SENDER; the DLT template id travels on the sent-log row for the audit."""

    def __init__(self, http_client=None):
        self.http_client = http_client

    def client(self):
        from twilio.rest import Client

        sid, token = settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN
        if not sid or not token:
            raise ImproperlyConfigured("MESSAGING_BACKEND=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
        return Client(sid, token, http_client=self.http_client)

    def send(self, to, body, channel, template_id=""):
        params = {"to": to, "body": body}
        if channel == Channel.WHATSAPP:
            params["to"] = f"whatsapp:{to}"
            params["from_"] = f"whatsapp:{settings.MESSAGING_WHATSAPP_SENDER}"
        elif settings.TWILIO_MESSAGING_SERVICE_SID:
            params["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
        else:
            params["from_"] = settings.MESSAGING_SMS_SENDER
        message = self.client().messages.create(**params)
        return message.sid


BACKENDS = {"console": ConsoleBackend, "twilio": TwilioBackend}


def get_backend() -> MessagingBackend:
    name = settings.MESSAGING_BACKEND
    if name not in BACKENDS:
        raise ImproperlyConfigured(f"MESSAGING_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")
    return BACKENDS[name]()
