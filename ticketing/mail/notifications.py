"""Tell the customer what happened — always after the commit, through the queue, at most once.

Side effects never run inside a locked transaction (docs/DESIGN.md §3): each function here only
registers an on_commit hook. The hook writes the sent-log row (its key makes the e-mail once
per booking and kind) and enqueues the django-q2 task that sends it, so a rolled-back change
sends nothing and a repeated event finds the row and sends nothing more. Texts (SMS, WhatsApp)
go the same way, on the channels the customer chose (ticketing/mail/texts.py).
"""

from __future__ import annotations

import logging
import secrets

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log as audit_log

from core import prepared
from core.raw_rows import insert_parts
from messaging.phones import channels_join, chosen_channels
from ticketing.mail.texts import queue_gift_text, queue_texts, texted
from ticketing.models import BookingChannel, SentEmail

log = logging.getLogger("marquee.notifications")

# kind → subject, translated when the message is built. Booking kinds fill %(ref)s;
# wallet_credited fills %(amount)s.
KINDS = {
    "booking_confirmed": _("Your booking %(ref)s is confirmed"),
    "payment_failed": _("Payment for %(ref)s did not go through"),
    "late_payment_refunded": _("Your payment for %(ref)s has been refunded"),
    "booking_cancelled": _("Booking %(ref)s is cancelled"),
    "seats_cancelled": _("Some seats of booking %(ref)s are cancelled"),
    "show_cancelled": _("The show for booking %(ref)s is cancelled"),
    "show_reminder": _("Your show is today: booking %(ref)s"),
    "wallet_credited": _("₹%(amount)s added to your Marquee wallet"),
    # Gift cards: to the recipient (the code) and to the buyer (a receipt, not a tax invoice).
    "gift_card": _("%(sender)s sent you a Marquee gift card of ₹%(amount)s"),
    "gift_card_bought": _("Your Marquee gift card %(ref)s is on its way"),
}
GIFT_KINDS = {"gift_card", "gift_card_bought"}


def notify(booking, kind: str, *, once_per: str = "", context: dict | None = None) -> None:
    """E-mail the booking's customer about `kind`, once per booking and kind (or once per
    `once_per` as well, e.g. per failed payment order, when one booking can see it again);
    `context` (JSON) is kept on the sent-log row for the message to read."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification {kind}")
    key = ":".join(filter(None, [kind, booking.reference, once_per]))
    booking_id, user_id = booking.pk, booking.user_id
    counter = booking.channel == BookingChannel.COUNTER
    log.info("notification queued", extra={"booking": booking.reference, "kind": kind})
    transaction.on_commit(lambda: _email_and_texts(key, kind, booking_id, user_id, counter, context))


def _email_and_texts(key: str, kind: str, booking_id, user_id, counter: bool = False, context: dict | None = None) -> None:
    """One after-commit hook: the e-mail's sent-log row and task, then any texts. On
    PostgreSQL the sent-log row's INSERT also reads the customer's text channels. A counter
    booking's user is the staff member who sold it: its texts go to the sale's contact phone."""
    texts_to = user_id if not counter and texted(kind, booking_id, user_id) else None
    _, reach = _enqueue(key, kind, booking_id=booking_id, user_id=user_id, channels_of=texts_to, context=context)
    queue_texts(key, kind, booking_id, None if counter else user_id, counter=counter, reach=reach)


def notify_gift_card(booking, card) -> None:
    """A paid gift card: its code to the recipient (e-mail and/or a text), a receipt to the
    buyer; once each, after the commit. The code is derived again when each is written
    (services/gift_codes.py), so no message row needs it stored anywhere else first."""
    reference, booking_id, buyer = booking.reference, booking.pk, booking.user_id
    log.info("gift card queued", extra={"booking": reference})

    def send():
        if card.recipient_email:
            enqueue_email(f"gift_card:{reference}", "gift_card", booking_id=booking_id)
        enqueue_email(f"gift_card_bought:{reference}", "gift_card_bought", booking_id=booking_id, user_id=buyer)
        if card.recipient_phone:
            queue_gift_text(f"gift_card:{reference}", card, reference)

    transaction.on_commit(send)


def notify_wallet_credit(entry) -> None:
    """Finance put money in a customer's wallet (a credit or a refund): say how much and why."""
    key = f"wallet_credited:{entry.pk}"
    user_id = entry.wallet.user_id
    transaction.on_commit(
        lambda: enqueue_email(key, "wallet_credited", booking_id=entry.booking_id, user_id=user_id, entry=entry.pk)
    )


def resend_tickets(booking) -> str:
    """Staff asked for the tickets again: a fresh sent-log row (and key) for each re-send."""
    count = SentEmail.objects.filter(booking=booking, kind="booking_confirmed").count()
    key = f"booking_confirmed:{booking.reference}:resend-{count}"
    transaction.on_commit(lambda: enqueue_email(key, "booking_confirmed", booking_id=booking.pk, user_id=booking.user_id))
    return key


@transaction.atomic
def staff_resend_tickets(booking, by) -> str:
    """Staff re-sent the tickets: the e-mail is queued and the audit-log entry written together."""
    key = resend_tickets(booking)
    audit_log(instance=booking, action="booking.resend_tickets", user=by, data={"email": key})
    return key


@transaction.atomic
def staff_resend_gift_card(booking, card, by) -> str:
    """Staff re-sent a gift card's code to its recipient (who lost the e-mail or text): a fresh
    key for each re-send, the e-mail and/or text queued after the commit, and the audit entry."""
    reference = booking.reference
    key = f"gift_card:{reference}:resend-{secrets.token_hex(4)}"

    def send():
        if card.recipient_email:
            enqueue_email(key, "gift_card", booking_id=booking.pk)
        if card.recipient_phone:
            queue_gift_text(key, card, reference)

    transaction.on_commit(send)
    audit_log(instance=booking, action="booking.resend_gift_card", user=by, data={"message": key})
    return key


def enqueue_email(key: str, kind: str, *, booking_id=None, user_id=None, entry=None) -> bool:
    """Write the sent-log row and queue its task. False when the key was already queued or
    sent: a repeated event never makes a second e-mail. The queue itself must not break the
    booking, so a broker failure is logged and left to the housekeeping retry."""
    return _enqueue(key, kind, booking_id=booking_id, user_id=user_id, entry=entry)[0]


def _enqueue(key: str, kind: str, *, booking_id=None, user_id=None, entry=None, channels_of=None, context=None):
    """enqueue_email, and (number, channels) of customer ``channels_of`` when the INSERT read
    them (PostgreSQL), else None."""
    from django_q.tasks import async_task

    context = {**(context or {}), **({"entry": entry} if entry else {})}
    row = SentEmail(key=key, kind=kind, booking_id=booking_id, user_id=user_id, context=context)
    inserted, reach = _insert_once(row, channels_of)
    if not inserted:
        return False, reach
    try:
        async_task("ticketing.tasks.send_email_task", key, task_name=key[:100])
    except Exception:  # the broker is down: the row stays queued for housekeeping
        log.exception("could not queue e-mail %s", key)
    return True, reach


def _insert_once(row: SentEmail, channels_of=None) -> tuple[bool, tuple | None]:
    """Insert the sent-log row unless its key exists: one statement, no transaction of its own
    (the ORM's create would need a savepoint or BEGIN … COMMIT to survive the duplicate).
    With ``channels_of`` on PostgreSQL the same statement reads that customer's verified number
    and chosen channels (messaging.phones.channels_join): (inserted, (number, channels))."""
    columns, values, params = insert_parts(row)
    key = connection.ops.quote_name(SentEmail._meta.get_field("key").column)
    insert = f"INSERT INTO {SentEmail._meta.db_table} ({columns}) VALUES ({values}) ON CONFLICT ({key}) DO NOTHING RETURNING id"
    with prepared.cursor() as cursor:
        if channels_of is None or connection.vendor != "postgresql":
            cursor.execute(insert, params)
            return cursor.fetchone() is not None, None
        selected, join = channels_join()
        cursor.execute(
            f"WITH sent AS ({insert}) SELECT EXISTS (SELECT 1 FROM sent), {selected} FROM (SELECT 1) AS one {join}",
            [*params, channels_of],
        )
        inserted, number, sms, whatsapp = cursor.fetchone()
    return inserted, (str(number), chosen_channels(sms, whatsapp)) if number is not None else (None, [])
