"""What the booking notifications say by SMS or WhatsApp, sent on the channels the customer chose.

Called from the notification's on_commit hook (ticketing/mail/notifications.py), next to the
e-mail: one sent-log row per booking, purpose and channel (messaging.delivery), so a repeated
event texts nothing more. Each wording is the one registered as its DLT template.

A counter sale's booking belongs to the staff member who sold it, so its texts never look at
that account's number: they go by SMS to the phone the walk-in customer gave at the counter
(the sale's ``contact_phone``, if it is a textable mobile number), or nowhere.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.formatting import inr, showdatetime, showtime
from messaging.delivery import queue_text
from messaging.models import Channel
from messaging.phones import channels_for, normalize
from ticketing.models import Booking, CounterSale
from ticketing.services.gift_codes import code_matching, grouped

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
    "seats_cancelled": (
        "seats_cancelled",
        "Marquee: some seats of booking {ref} for {movie} are cancelled; seats {seats} still admit. Any refund goes back the way you chose. {url}",
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


def counter_contact(booking_id) -> tuple[str | None, list[str]]:
    """The walk-in customer's number from the counter sale, by SMS; none if they gave none or
    it is not a mobile number we text."""
    phone = CounterSale.objects.filter(booking_id=booking_id).values_list("contact_phone", flat=True).first()
    if not phone:
        return None, []
    try:
        return normalize(phone), [Channel.SMS]
    except ValidationError:
        return None, []


GIFT_TEXT = "Marquee: {sender} sent you a gift card of {amount}. Code {code}. Redeem it into your wallet at {url}"


def queue_gift_text(key: str, card, reference: str) -> bool:
    """The gift card's code by SMS to the number the buyer gave (not a customer's own channel
    choice: the recipient may have no account). The sent-log forgets the code once it went out."""
    try:
        code = code_matching(card.seed, card.code_digest or "")
        if code is None:
            return False
        buyer = card.booking.user
        body = GIFT_TEXT.format(
            sender=(buyer.first_name or "A friend")[:30],
            amount=inr(card.amount),
            code=grouped(code),
            url=settings.MARQUEE_SITE_URL.rstrip("/") + reverse("customer_account"),
        )
        return queue_text(f"{key}:sms", purpose="gift_card", channel="sms", to=card.recipient_phone, body=body,
                          booking_reference=reference)  # fmt: skip
    except Exception:
        log.exception("could not queue the gift card text %s", key)
        return False


def texted(kind: str, booking_id, user_id) -> bool:
    """Whether `kind` may be texted to a customer at all (then their channels are looked up)."""
    return kind in TEXTS and booking_id is not None and user_id is not None


def queue_texts(key: str, kind: str, booking_id, user_id, *, counter: bool = False, reach=None) -> int:
    """Text the booking's customer about `kind` on each channel they chose (a counter sale's:
    its contact phone, by SMS); how many queued. ``reach``: the customer's (number, channels)
    when the caller read them (the e-mail's sent-log INSERT does on PostgreSQL); otherwise a
    customer without chosen channels costs one query. A failure here is logged and never
    reaches the booking or its e-mail."""
    if kind not in TEXTS or booking_id is None or (user_id is None and not counter):
        return 0
    try:
        if counter:
            number, channels = counter_contact(booking_id)
        else:
            number, channels = reach if reach is not None else channels_for(user_id)
        if not channels:
            return 0
        booking = Booking.objects.select_related("show__movie", "show__screen__theater").get(pk=booking_id)
        if booking.is_gift_card:  # its only text is the code, to the recipient (queue_gift_text)
            return 0
        body = text_for(kind, booking)
        return sum(
            queue_text(
                f"{key}:{channel}",
                purpose=TEXTS[kind][0],
                channel=channel,
                to=number,
                body=body,
                user_id=None if counter else booking.user_id,
                booking_reference=booking.reference,
            )
            for channel in channels
        )
    except Exception:
        log.exception("could not queue texts for %s", key)
        return 0
