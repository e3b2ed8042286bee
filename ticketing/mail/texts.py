"""What the booking notifications say by SMS or WhatsApp, sent on the channels the customer chose.

Called from the notification's on_commit hook (ticketing/mail/notifications.py), next to the
e-mail: one sent-log row per booking, purpose and channel (messaging.delivery), so a repeated
event texts nothing more. Each wording is the one registered as its DLT template.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse

from core.formatting import inr, showdatetime, showtime
from messaging.delivery import queue_text
from messaging.phones import channels_for
from ticketing.models import Booking

log = logging.getLogger("marquee.notifications")

# notification kind → (DLT purpose, wording)
TEXTS = {
    "booking_confirmed": (
        "booking_confirmed",
        "Marquee: booking {ref} confirmed. {movie}, {when}, {theater}, seats {seats}. Tickets: {url}",
    ),
    "show_reminder": ("show_reminder", "Marquee: {movie} starts at {time} today at {theater}, seats {seats}. Tickets: {url}"),
    "booking_cancelled": (
        "booking_cancelled",
        "Marquee: booking {ref} for {movie} is cancelled. Any refund goes back the way you paid. {url}",
    ),
    "show_cancelled": (
        "booking_cancelled",
        "Marquee: the show of {movie} on {when} is cancelled; booking {ref} is refunded. {url}",
    ),
    "late_payment_refunded": ("refunded", "Marquee: your payment of {amount} for {ref} came too late and is refunded. {url}"),
}


def text_for(kind: str, booking) -> str:
    show = booking.show
    return TEXTS[kind][1].format(
        ref=booking.reference,
        movie=show.movie.title,
        when=showdatetime(show.starts_at),
        time=showtime(show.starts_at),
        theater=show.screen.theater.title,
        seats=", ".join(booking.seats) or "-",
        amount=inr(booking.total) if getattr(booking, "total", None) is not None else "",
        url=settings.MARQUEE_SITE_URL.rstrip("/") + reverse("booking_page", args=[booking.reference]),
    )


def texted(kind: str, booking_id, user_id) -> bool:
    """Whether `kind` may be texted at all (then the customer's channels are looked up)."""
    return kind in TEXTS and booking_id is not None and user_id is not None


def queue_texts(key: str, kind: str, booking_id, user_id, reach: tuple[str | None, list[str]] | None = None) -> int:
    """Text the booking's customer about `kind` on each channel they chose; how many queued.
    ``reach``: the customer's (number, channels) when the caller read them (the e-mail's
    sent-log INSERT does on PostgreSQL); otherwise a customer without chosen channels costs one
    query. A failure here is logged and never reaches the booking or its e-mail."""
    if not texted(kind, booking_id, user_id):
        return 0
    try:
        number, channels = reach if reach is not None else channels_for(user_id)
        if not channels:
            return 0
        booking = Booking.objects.select_related("show__movie", "show__screen__theater").get(pk=booking_id)
        body = text_for(kind, booking)
        return sum(
            queue_text(
                f"{key}:{channel}",
                purpose=TEXTS[kind][0],
                channel=channel,
                to=number,
                body=body,
                user_id=booking.user_id,
                booking_reference=booking.reference,
            )
            for channel in channels
        )
    except Exception:
        log.exception("could not queue texts for %s", key)
        return 0
