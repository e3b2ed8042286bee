"""Gift cards in the API: buy one (paid through POST /api/bookings/{reference}/pay like any
booking), see it, redeem a code into your wallet. The rules live in
ticketing.services.gift_cards; this module only translates."""

from __future__ import annotations

from typing import Literal

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Status
from ninja.security import django_auth
from pydantic import ConfigDict

from core.client_ip import client_ip
from ticketing.api.contract import refusals
from ticketing.api.schemas import BOOKING_STATES, RUPEES, Schema
from ticketing.models import GiftCard
from ticketing.queries import get_own_gift_card
from ticketing.services import gift_cards

router = Router(tags=["gift cards"])


class GiftCardIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(
        ..., ge=1, le=10_000_000, description="Whole rupees, within the bounds in Booking settings.", examples=[1000]
    )
    recipient_email: str | None = Field(None, max_length=254, examples=["asha@example.com"])
    recipient_phone: str | None = Field(None, max_length=20, description="An Indian mobile number.", examples=["+919876543210"])
    message: str = Field("", max_length=300, description="A line for the recipient (one line; 300 characters at most).")


class RedeemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        ..., min_length=1, max_length=40, description="The code as received; spaces and dashes are ignored.",
        examples=["ABCD-EFGH-JKLM-NPQR"],
    )  # fmt: skip


class GiftCardOut(Schema):
    reference: str = Field(..., description="The purchase's booking reference: pay it at /api/bookings/{reference}/pay.")
    state: Literal["pending", "issued", "redeemed", "refunded"] = Field(
        ..., description="pending until paid; issued once the code was sent."
    )
    booking_state: BOOKING_STATES = Field(..., description="The purchase as a booking: held while it waits to be paid.")
    amount: str = Field(..., **RUPEES)
    recipient_email: str | None
    recipient_phone: str | None
    message: str
    held_until: str | None = Field(..., description="Pay before this (ISO 8601, IST); null once paid.")
    code_ends: str | None = Field(..., description="The code's last four characters, once issued (never the whole code).")
    pay_url: str = Field(..., description="Where to pay: the booking pay endpoint.")


class RedeemOut(Schema):
    credited: str = Field(..., description="Added to your wallet.", **RUPEES)
    balance: str = Field(..., description="Your wallet balance now.", **RUPEES)


def gift_card_out(card: GiftCard) -> dict:
    booking = card.booking
    return {
        "reference": booking.reference,
        "state": card.state,
        "booking_state": booking.state,
        "amount": str(card.amount),
        "recipient_email": card.recipient_email or None,
        "recipient_phone": card.recipient_phone or None,
        "message": card.message,
        "held_until": timezone.localtime(booking.held_until).isoformat() if booking.held_until and not card.issued_at else None,
        "code_ends": card.code_last4 or None,
        "pay_url": reverse("api:pay", kwargs={"reference": booking.reference}),
    }


@router.post(
    "/gift-cards",
    auth=django_auth,
    response={201: GiftCardOut, **refusals(400, 401, 403, 422)},
    summary="Buy a gift card (then pay it like a booking)",
)
def buy_gift_card(request, payload: GiftCardIn):
    card = gift_cards.buy_gift_card(
        request.user,
        payload.amount,
        recipient_email=payload.recipient_email or "",
        recipient_phone=payload.recipient_phone or "",
        message=payload.message,
    )
    return Status(201, gift_card_out(card))


@router.post(
    "/gift-cards/redeem",
    auth=django_auth,
    response={200: RedeemOut, **refusals(400, 401, 403, 404, 409, 422, 429)},
    summary="Redeem a gift card code into your wallet",
)
def redeem_gift_card(request, payload: RedeemIn):
    """404 for any code that is not a valid, paid card (one message for all); 409 once it was
    redeemed (or refunded); 429 past the per-customer or per-address limit for the minute.
    Declared before /gift-cards/{reference}, which would otherwise take the path."""
    done = gift_cards.redeem_gift_card(request.user, payload.code, client_ip=client_ip(request))
    return {"credited": str(done.credited), "balance": str(done.balance)}


@router.get(
    "/gift-cards/{reference}",
    auth=django_auth,
    response={200: GiftCardOut, **refusals(401, 404)},
    summary="A gift card you bought",
)
def get_gift_card(request, reference: str):
    card = get_own_gift_card(request.user, reference)
    if card is None:
        raise Http404(gettext("No such gift card."))
    return gift_card_out(card)
