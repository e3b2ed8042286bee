"""The one-time sign-in and verification codes allauth asks us to text."""

from __future__ import annotations

from django.utils.crypto import get_random_string

from messaging.delivery import queue_text
from messaging.models import Channel

# The wording registered as the DLT template for purpose "otp" (MESSAGING_DLT_TEMPLATE_OTP).
OTP_TEXT = "{code} is your Marquee code. It expires in {minutes} minutes. Do not share it. -Marquee"


def send_code(user, phone: str, code: str, minutes: int) -> None:
    """Codes go by SMS through the sent-log, each its own row (a resend is a new code)."""
    queue_text(
        f"otp:{phone}:{get_random_string(16)}",
        purpose="otp",
        channel=Channel.SMS,
        to=phone,
        body=OTP_TEXT.format(code=code, minutes=minutes),
        user_id=getattr(user, "pk", None),
    )
