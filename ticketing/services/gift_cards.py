"""Gift cards: bought like a booking, issued by the payment finalizer, redeemed once into a wallet.

A purchase is a Booking with no show and no seats (``Booking.is_gift_card``) plus its GiftCard
row. It goes through the same pay endpoint, checkout, gateway order, callback, webhook,
reconciliation and the one finalizer as seats do; the finalizer's confirmation calls
:func:`issue_gift_card` instead of issuing tickets and a tax invoice. A gift card is a voucher:
its sale is neither a supply of goods nor of services (CBIC circular of 31 Dec 2024), so no
GST and no tax invoice here; GST is charged when its money buys tickets or food.

Redeeming is one conditional UPDATE (issued → redeemed) whose row count decides, then the
wallet credit with its ledger row, in one transaction: the same code redeemed twice at once
credits once. Attempts are limited per customer and per client address each minute.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log as audit_log

from core.booking_rules import BookingSettings
from core.money import group_indian, rupees
from messaging.phones import normalize as normalize_phone
from ticketing.errors import BookingError, NotFound, NotVerified, RateLimited
from ticketing.mail.notifications import notify_gift_card
from ticketing.models import Booking, GiftCard, GiftCardState
from ticketing.services.cancellation import cancel_booking
from ticketing.services.gift_codes import code_for, digest_of, looks_like_code
from ticketing.services.verification import is_verified
from wallet import services as wallet
from wallet.models import TransactionKind

log = logging.getLogger("marquee.gift_cards")
MESSAGE_MAX = 300


class UnknownGiftCode(NotFound):
    """Every wrong code, unpaid card or malformed input answers the same (404)."""

    code = "gift_card_unknown"

    def __init__(self):
        super().__init__(gettext("That gift card code is not valid. Check it and try again."))


class GiftCardUsed(BookingError):
    status = 409
    code = "gift_card_redeemed"


@dataclass(frozen=True)
class Redemption:
    card: GiftCard
    credited: Decimal
    balance: Decimal


# --- buying -----------------------------------------------------------------------------------
def gift_card_amount(value, rules=None) -> Decimal:
    """Whole rupees within the bounds set in Booking settings."""
    rules = rules or BookingSettings.load()
    try:
        amount = Decimal(str(value).strip().replace(",", "").removeprefix("₹"))
    except (InvalidOperation, ValueError):
        amount = None
    bounds = {"low": f"₹{group_indian(str(rules.gift_card_min))}", "high": f"₹{group_indian(str(rules.gift_card_max))}"}
    if amount is None or not amount.is_finite() or amount != amount.to_integral_value():
        raise BookingError(gettext("Enter the gift card’s value in whole rupees, between %(low)s and %(high)s.") % bounds)
    if not rules.gift_card_min <= amount <= rules.gift_card_max:
        raise BookingError(gettext("A gift card can be between %(low)s and %(high)s.") % bounds)
    return rupees(amount)


def _recipient(email: str, phone: str) -> tuple[str, str]:
    email, phone = (email or "").strip(), (phone or "").strip()
    if not email and not phone:
        raise BookingError(gettext("Give the recipient’s e-mail address or mobile number."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise BookingError(gettext("Enter a valid e-mail address for the recipient.")) from None
        if len(email) > 254:
            raise BookingError(gettext("Enter a valid e-mail address for the recipient."))
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as error:
            raise BookingError(error.messages[0]) from None
    return email.lower() if email else "", phone


def _message(text: str) -> str:
    text = " ".join((text or "").split())  # one line: newlines and control characters go
    if len(text) > MESSAGE_MAX:
        raise BookingError(gettext("Keep the message to %(max)s characters.") % {"max": MESSAGE_MAX})
    return text


def buy_gift_card(user, amount, *, recipient_email: str = "", recipient_phone: str = "", message: str = "") -> GiftCard:
    """Open a gift card's purchase: a booking with no show, awaiting payment through the pay
    endpoint for as long as a seat hold lasts."""
    rules = BookingSettings.load()
    if not rules.gift_cards_on_sale:
        raise BookingError(gettext("Gift cards are not on sale right now."))
    value = gift_card_amount(amount, rules)
    email, phone = _recipient(recipient_email, recipient_phone)
    text = _message(message)
    if not is_verified(user):
        raise NotVerified(gettext("Please confirm your e-mail address before buying a gift card."))
    until = timezone.now() + timedelta(minutes=settings.MARQUEE_HOLD_MINUTES)
    with transaction.atomic():
        booking = Booking.objects.create(user=user, show=None, seats=[], held_until=until)
        card = GiftCard.objects.create(booking=booking, amount=value, recipient_email=email, recipient_phone=phone, message=text)
    log.info("gift card opened", extra={"booking": booking.reference})
    return card


# --- issuing (the finalizer's confirmation) ---------------------------------------------------
def issue_gift_card(booking: Booking) -> GiftCard | None:
    """The purchase is paid: store the code's digest and send the code to the recipient.
    Called by the finalizer with the booking locked; a second call issues nothing."""
    card = GiftCard.objects.get(booking_id=booking.pk)
    code = code_for(card.seed)
    now = timezone.now()
    issued = GiftCard.objects.filter(pk=card.pk, state=GiftCardState.PENDING).update(
        state=GiftCardState.ISSUED, code_digest=digest_of(code), code_last4=code[-4:], issued_at=now
    )
    if not issued:
        return None
    card.state, card.code_digest, card.code_last4, card.issued_at = GiftCardState.ISSUED, digest_of(code), code[-4:], now
    notify_gift_card(booking, card)
    return card


# --- redeeming --------------------------------------------------------------------------------
def _over_limit(name: str, limit: int) -> bool:
    """Count one attempt in this clock minute; True once past ``limit`` (0: no limit)."""
    if not limit:
        return False
    key = f"gift-redeem:{name}:{int(timezone.now().timestamp() // 60)}"
    if cache.add(key, 1, timeout=90):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        return False


def check_redeem_rate(user, client_ip: str) -> None:
    """Too many attempts this minute from this customer or this address: 429."""
    by_user = _over_limit(f"user:{user.pk}", settings.MARQUEE_GIFT_REDEEM_RATE)
    by_address = _over_limit(f"ip:{client_ip}", settings.MARQUEE_GIFT_REDEEM_IP_RATE)
    if by_user or by_address:
        raise RateLimited(gettext("Too many gift card attempts. Please wait a minute and try again."))


def redeem_gift_card(user, code: str, *, client_ip: str) -> Redemption:
    """Credit the card's value to this customer's wallet, once ever."""
    check_redeem_rate(user, client_ip)
    if not looks_like_code(code):
        raise UnknownGiftCode()
    with transaction.atomic():
        card = GiftCard.objects.filter(code_digest=digest_of(code)).first()
        if card is None or card.state == GiftCardState.PENDING:
            raise UnknownGiftCode()
        if card.state == GiftCardState.REFUNDED:
            raise GiftCardUsed(gettext("This gift card was refunded to its buyer and can no longer be redeemed."))
        now = timezone.now()
        claimed = GiftCard.objects.filter(pk=card.pk, state=GiftCardState.ISSUED).update(
            state=GiftCardState.REDEEMED, redeemed_by=user, redeemed_at=now
        )
        if not claimed:
            raise GiftCardUsed(gettext("This gift card has already been redeemed."))
        entry = wallet.credit(user, card.amount, reason=f"code ending {card.code_last4}", kind=TransactionKind.GIFT_CARD)
        GiftCard.objects.filter(pk=card.pk).update(wallet_entry=entry)
    log.info("gift card redeemed", extra={"gift_card": card.pk, "user": user.pk})
    card.state, card.redeemed_by, card.redeemed_at, card.wallet_entry = GiftCardState.REDEEMED, user, now, entry
    return Redemption(card=card, credited=card.amount, balance=entry.balance_after)


# --- refunding (finance) ----------------------------------------------------------------------
def refund_gift_card(card: GiftCard, *, destination: str, reason: str, by) -> GiftCard:
    """Finance takes back a card nobody redeemed: the code stops working and the buyer gets
    the money back (wallet or the original payment method), as a cancelled booking would."""
    if not (reason or "").strip():
        raise BookingError("Give a reason for the refund.")
    with transaction.atomic():
        taken = GiftCard.objects.filter(pk=card.pk, state=GiftCardState.ISSUED).update(
            state=GiftCardState.REFUNDED, refunded_at=timezone.now()
        )
        if not taken:
            raise GiftCardUsed("Only an issued gift card that was not redeemed can be refunded.")
        cancel_booking(card.booking, destination=destination, reason=reason, by=by, notice=None)
        audit_log(instance=card, action="gift_card.refund", user=by, data={"destination": destination, "reason": reason})
    card.refresh_from_db()
    return card
