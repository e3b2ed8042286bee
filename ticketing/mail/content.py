"""What each e-mail says: HTML + plain text from templates/emails/, built from the sent-log row.

Prices come from the single pricing source (shown_price: the quote frozen at checkout), the
confirmation carries the tickets PDF and each ticket's QR inline, and every message is tagged
with its sent-log key so the ESP's tracking events find their way back to the row.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from messaging import languages
from ticketing.mail.notifications import GIFT_KINDS, KINDS
from ticketing.models import BookingChannel, CounterSale, GiftCard
from ticketing.qr import qr_png
from ticketing.services.gift_codes import code_matching, grouped
from ticketing.services.invoice_pdf import invoice_attachment
from ticketing.services.pricing import shown_price
from ticketing.services.ticket_pdf import ensure_tickets_pdf, food_pickup
from wallet.models import WalletTransaction

BOOKING_KINDS = {k for k in KINDS if k != "wallet_credited" and k not in GIFT_KINDS}


def _site(path: str) -> str:
    return settings.MARQUEE_SITE_URL.rstrip("/") + path


def _booking_context(booking) -> dict:
    show = booking.show  # None for a gift card's purchase (a failed or late payment)
    price = shown_price(booking)
    return {
        "booking": booking,
        "show": show,
        "movie": show.movie if show else None,
        "theater": show.screen.theater if show else None,
        "screen": show.screen if show else None,
        "seats": ", ".join(booking.seats),
        "price": price if isinstance(price, dict) else price.as_api(),
        "booking_url": _site(reverse("booking_page", args=[booking.reference])),
        "refunds": list(booking.refunds.order_by("pk")),
        "failure": booking.payments.filter(status="failed").order_by("-pk").values_list("error", flat=True).first() or "",
    }


def _seats_cancelled_context(row) -> dict:
    """Which seats this cancellation took and what it refunded; the booking's seats are those left."""
    return {
        "cancelled": ", ".join(row.context.get("seats", [])),
        "refunds": list(row.booking.refunds.filter(pk__in=row.context.get("refunds", [])).order_by("pk")),
    }


def _wallet_returned(booking):
    """What went back to the wallet because the payment did not complete (booking_release)."""
    return WalletTransaction.objects.filter(booking=booking, kind="booking_release").aggregate(s=Sum("amount"))["s"]


def _wallet_context(row) -> dict:
    entry = WalletTransaction.objects.select_related("booking").get(pk=row.context["entry"])
    return {"entry": entry, "booking": entry.booking, "account_url": _site(reverse("customer_account"))}


def _gift_context(row) -> dict:
    """The card, who sent it and, for the recipient only, its code (derived again here)."""
    card = GiftCard.objects.select_related("booking__user").get(booking_id=row.booking_id)
    buyer = card.booking.user
    context = {
        "card": card,
        "sender": buyer.get_full_name() or buyer.first_name or gettext("A friend"),
        "redeem_url": _site(reverse("customer_account") + "#gift-card-redeem"),
        "card_url": _site(reverse("gift_card_page", args=[card.booking.reference])),
    }
    if row.kind == "gift_card":
        code = code_matching(card.seed, card.code_digest or "")
        if code is None:  # the secret that issued it is gone: nothing to print, staff must re-issue
            raise ValueError(f"gift card {card.booking.reference}: no secret gives its code")
        context["code"] = grouped(code)
    return context


def build_message(row):
    """The message for a sent-log row, or None when there is nobody to send it to; written in
    the language the customer chose on the site (messaging.languages), English by default."""
    user, to = _recipient(row)
    if not to:
        return None
    with languages.speaking_to(user.pk if user else None):
        return _message(row, user, to)


def _message(row, user, to):
    from anymail.message import AnymailMessage

    context = {"user": user, "name": (user.first_name if user else "") or to.split("@")[0], "site_url": _site("/")}
    if row.kind in GIFT_KINDS:
        context.update(_gift_context(row))
        card = context["card"]
        subject = KINDS[row.kind] % {"sender": context["sender"], "amount": f"{card.amount:,.0f}", "ref": row.booking.reference}
    elif row.kind in BOOKING_KINDS:
        context.update(_booking_context(row.booking))
        if row.kind == "late_payment_refunded":
            context["wallet_returned"] = _wallet_returned(row.booking)
        if row.kind == "seats_cancelled":
            context.update(_seats_cancelled_context(row))
        subject = KINDS[row.kind] % {"ref": row.booking.reference}
    else:
        context.update(_wallet_context(row))
        subject = KINDS[row.kind] % {"amount": context["entry"].amount}
    message = AnymailMessage(subject=subject, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.metadata = {"sent_email": row.key}
    message.tags = [row.kind]
    if row.kind == "booking_confirmed":
        _attach_tickets(message, row.booking, context)
    message.body = render_to_string(f"emails/{row.kind}.txt", context)
    message.attach_alternative(render_to_string(f"emails/{row.kind}.html", context), "text/html")
    return message


def _recipient(row):
    """(the customer, their address). A counter sale's tickets go to the address the walk-in
    customer gave at the counter (or nowhere), never to the staff member who sold them."""
    booking = row.booking
    if row.kind == "gift_card":  # the recipient, who may have no account
        return None, GiftCard.objects.filter(booking_id=row.booking_id).values_list("recipient_email", flat=True).first()
    if booking is not None and booking.channel == BookingChannel.COUNTER:
        sale = CounterSale.objects.filter(booking=booking).first()
        return None, sale.contact_email if sale else ""
    user = row.user or (booking.user if booking else None)
    return user, user.email if user else ""


def _attach_tickets(message, booking, context) -> None:
    tickets = list(booking.tickets.filter(voided_at__isnull=True).order_by("pk"))
    for ticket in tickets:
        ticket.qr_cid = message.attach_inline_image(qr_png(ticket.code), filename=f"{ticket.code}.png")
    context["tickets"] = tickets
    pickup = food_pickup(booking)
    if pickup is not None:
        pickup.qr_cid = message.attach_inline_image(qr_png(pickup.code), filename=f"{pickup.code}.png")
        context["pickup"] = pickup
        context["items"] = list(booking.items.order_by("pk"))
    pdf = ensure_tickets_pdf(booking)  # None once the booking is no longer confirmed
    if pdf:
        message.attach(f"marquee-{booking.reference}.pdf", pdf, "application/pdf")
    invoice = invoice_attachment(booking)
    if invoice:
        message.attach(*invoice, "application/pdf")
