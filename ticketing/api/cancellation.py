"""GET /api/bookings/{reference}/cancellation: what cancelling would refund, before confirming.

The same function the cancellation runs (services/cancel_policy.cancellation_quote), so the
amount shown is the amount refunded while nothing changes in between (the tier, the seats).
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from django.utils.translation import gettext
from ninja import Field, Query, Router
from ninja.errors import ValidationError
from ninja.security import django_auth
from pydantic import ConfigDict, StringConstraints
from pydantic import ValidationError as PydanticError

from ticketing.api.contract import refusals
from ticketing.api.schemas import Schema
from ticketing.errors import BookingError
from ticketing.services.cancel_policy import cancellation_quote
from ticketing.views import get_booking_for_user

router = Router(tags=["bookings"])
Destination = Literal["wallet", "source"]


class CancellationQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    seats: str = Field(
        "",
        max_length=200,
        pattern=r"^[A-Za-z0-9, ]*$",
        description="Seat labels to cancel, comma-separated (`A1,A2`); empty: the whole booking.",
    )
    to: Destination | None = Field(
        None, description="`wallet` or `source` (the original payment method); empty: the first offered."
    )


class CancellationOut(Schema):
    seats: list[str] = Field(..., description="The seats this would cancel.")
    remaining: list[str] = Field(..., description="The seats that stay valid.")
    whole_booking: bool = Field(..., description="Every seat: the booking is cancelled, food and drinks too.")
    to: Destination
    value: str = Field(..., description="What the cancelled part was paid (its share of promo, fee and GST included).")
    fee_percent: str = Field(..., examples=["10.00"])
    fee: str = Field(..., description="Kept by the tier's fee.")
    refund: str = Field(..., description="What comes back: value − fee.")
    summary: str = Field(..., description="The sentence to show before confirming.")


class CancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    seats: list[Annotated[str, StringConstraints(min_length=1, max_length=8, pattern=r"^[A-Za-z0-9]+$")]] = Field(
        [], max_length=20, description='Seats to cancel (`["A2"]`); empty or absent: the whole booking.'
    )
    to: Destination | None = Field(None, description="`wallet` or `source`; absent: the first offered.")


# The body is optional (no body: the whole booking, to the first destination offered, as
# before seats could be chosen), which ninja's body parameters cannot say; documented here.
CANCEL_BODY = {"requestBody": {"required": False, "content": {"application/json": {"schema": CancelIn.model_json_schema()}}}}


def cancel_choice(request) -> CancelIn:
    """The cancel request's choice: a JSON body, or none at all (an empty form counts as none)."""
    data = {}
    if request.content_type == "application/json" and request.body.strip():
        try:
            data = json.loads(request.body)
        except ValueError as error:
            raise BookingError(gettext("The request body is not valid JSON.")) from error
    elif request.POST:
        raise BookingError(gettext('Send the choice as JSON: {"seats": [...], "to": "wallet"}.'))
    try:
        choice = CancelIn.model_validate(data if isinstance(data, dict) else {"seats": data})
    except PydanticError as error:
        raise ValidationError(error.errors(include_url=False)) from error
    return CancelIn(seats=[label.upper() for label in choice.seats], to=choice.to)


def split_seats(raw: str) -> list[str]:
    return [label.strip().upper() for label in raw.split(",") if label.strip()]


@router.get(
    "/bookings/{reference}/cancellation",
    auth=django_auth,
    response={200: CancellationOut, **refusals(400, 401, 404, 409, 422)},
    summary="Preview a cancellation: the exact refund for these seats to this destination",
)
def cancellation_preview(request, reference: str, query: Query[CancellationQuery]):
    booking = get_booking_for_user(request.user, reference)
    return cancellation_quote(booking, split_seats(query.seats), query.to).as_api()
