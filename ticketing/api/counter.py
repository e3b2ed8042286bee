"""The box office counter's endpoints: shifts, sales, cash-up and voids (docs/api.md).

Staff only: session auth with CSRF like the rest of the API, then the counter permission
(`ticketing.sell_at_counter`; voids `ticketing.supervise_counter`), 403 without it before the
body is read. The rules live in ticketing.services.counter_shifts and counter_sales; this
module only translates. Amounts travel as strings in rupees ("2000.00").
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Status
from ninja.errors import HttpError
from ninja.security import SessionAuth
from pydantic import ConfigDict, StringConstraints

from ticketing.api.contract import refusals
from ticketing.api.schemas import IST_TIME, RUPEES, CounterConflict, ItemIn, ItemOut, Schema, UnknownSeats
from ticketing.errors import NotFound
from ticketing.permissions import SELL_AT_COUNTER, SUPERVISE_COUNTER
from ticketing.services import counter_sales, counter_shifts

SeatLabel = Annotated[str, StringConstraints(min_length=1, max_length=8, pattern=r"^[A-Za-z0-9]+$")]
Amount = Annotated[str, StringConstraints(max_length=20)]


class StaffWith(SessionAuth):
    """Signed in (401 otherwise), CSRF-checked for unsafe methods, and holding one of
    ``permissions`` (403 otherwise)."""

    def __init__(self, *permissions: str, message: str):
        super().__init__()
        self.permissions = permissions
        self.message = message

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and not any(user.has_perm(p) for p in self.permissions):
            raise HttpError(403, self.message)
        return user


SELLER = StaffWith(SELL_AT_COUNTER, message="You do not have permission to sell at the counter.")
SELLER_OR_SUPERVISOR = StaffWith(SELL_AT_COUNTER, SUPERVISE_COUNTER, message="You do not have permission to work at the counter.")
SUPERVISOR = StaffWith(SUPERVISE_COUNTER, message="Only a counter supervisor can void a sale.")


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# --- bodies -------------------------------------------------------------------------------
class ShiftIn(Strict):
    counter: str = Field(..., min_length=1, max_length=60, examples=["Counter 1"])
    float: Amount = Field(..., description="Opening cash float in rupees.", examples=["2000.00"])


class PaymentIn(Strict):
    method: Literal["cash", "upi", "card", "complimentary"] = Field(
        ..., description="complimentary: free tickets, for counter supervisors only (403 otherwise), with a reason."
    )
    tendered: Amount | None = Field(None, description="Cash handed over (cash only).", examples=["1000.00"])
    reference: str | None = Field(None, max_length=64, description="UPI reference or card approval code (required for them).")
    reason: str | None = Field(
        None, max_length=255, description="Why the tickets are complimentary (required for it).", examples=["Press guest"]
    )


class CustomerIn(Strict):
    phone: str | None = Field(None, max_length=20, examples=["+91 98200 12345"])
    email: str | None = Field(None, max_length=254, description="Tickets are e-mailed here.", examples=["guest@example.com"])


class SaleIn(Strict):
    show: int = Field(..., ge=1, le=2**31 - 1)
    seats: list[SeatLabel] = Field(
        default_factory=list,
        max_length=20,
        description="Seats to sell; may be empty when items are sold.",
        examples=[["A1", "A2"]],
    )
    items: list[ItemIn] = Field(
        default_factory=list,
        max_length=30,
        description="Food and drinks, with or without seats.",
        examples=[[{"sku": "POP-L", "quantity": 2}]],
    )
    payment: PaymentIn
    customer: CustomerIn | None = None
    promo_code: str | None = Field(None, max_length=30, pattern=r"^\s*[A-Za-z0-9_-]*\s*$")


class CloseIn(Strict):
    counted: Amount = Field(..., description="Cash counted in the drawer, float included.", examples=["3380.00"])


class VoidIn(Strict):
    reason: str = Field(..., min_length=1, max_length=255, examples=["Customer changed their mind"])


# --- answers ------------------------------------------------------------------------------
class MethodTotals(Schema):
    cash: str = Field(..., **RUPEES)
    upi: str = Field(..., **RUPEES)
    card: str = Field(..., **RUPEES)


class CompTotals(Schema):
    sales: int = Field(..., description="Complimentary sales made in the shift (voided ones included).")
    tickets: int = Field(..., description="Complimentary tickets given and not voided.")


class ShowTotal(Schema):
    show: int
    name: str
    sales: int
    amount: str = Field(..., **RUPEES)


class Takings(Schema):
    expected_cash: str = Field(..., description="Float + cash sales − cash refunds.", **RUPEES)
    totals: MethodTotals = Field(..., description="Sales per payment method (voided sales included).")
    refunded: MethodTotals = Field(..., description="Voided sales refunded, per payment method.")
    sales: int = Field(..., description="Sales made in the shift.")
    refunds: int = Field(..., description="Sales voided and refunded.")
    by_show: list[ShowTotal]
    complimentary: CompTotals = Field(..., description="Free tickets given: no money, not in any total or the cash.")


class ShiftOut(Schema):
    id: int
    counter: str
    float: str = Field(..., **RUPEES)
    opened_at: str = Field(..., **IST_TIME)
    state: Literal["open", "closed"]


class CurrentShiftOut(ShiftOut, Takings):
    pass


class CloseOut(Takings):
    counted: str = Field(..., **RUPEES)
    variance: str = Field(..., description="Counted − expected: negative when cash is missing.", **RUPEES)


class TicketLine(Schema):
    code: str
    seat: str


class SaleOut(Schema):
    reference: str
    state: Literal["confirmed"]
    total: str = Field(..., **RUPEES)
    change_due: str = Field(..., **RUPEES)
    tickets: list[TicketLine]
    items: list[ItemOut] = Field(default_factory=list)
    pickup_code: str | None = Field(None, description="Shown at the food stand, when the sale has items.")
    receipt_url: str = Field(..., description="The printable 80 mm ticket (HTML; add ?format=pdf for the PDF).")


class VoidOut(Schema):
    reference: str
    state: Literal["refunded", "cancelled"] = Field(..., description="cancelled: a complimentary sale, nothing to refund.")
    refunded: str = Field(..., **RUPEES)


router = Router(tags=["counter"])


def shift_out(shift) -> dict:
    return {
        "id": shift.pk,
        "counter": shift.counter,
        "float": str(shift.opening_float),
        "opened_at": timezone.localtime(shift.opened_at).isoformat(),
        "state": shift.state,
    }


@router.post(
    "/counter/shifts",
    auth=SELLER,
    response={201: ShiftOut, 409: CounterConflict, **refusals(400, 401, 403, 422)},
    summary="Open your shift at a counter with a cash float",
    openapi_extra={"x-required-permission": SELL_AT_COUNTER},
)
def open_shift(request, payload: ShiftIn):
    """409 when you already have an open shift."""
    return Status(201, shift_out(counter_shifts.open_shift(request.user, payload.counter, payload.float)))


@router.get(
    "/counter/shifts/current",
    auth=SELLER,
    response={200: CurrentShiftOut, **refusals(401, 403, 404)},
    summary="Your open shift with its running totals",
    openapi_extra={"x-required-permission": SELL_AT_COUNTER},
)
def current_shift(request):
    shift = counter_shifts.current_shift(request.user)
    if shift is None:
        raise NotFound("You have no open shift.")
    return {**shift_out(shift), **counter_shifts.shift_totals(shift).as_api()}


@router.post(
    "/counter/shifts/{shift_id}/close",
    auth=SELLER_OR_SUPERVISOR,
    response={200: CloseOut, 409: CounterConflict, **refusals(400, 401, 403, 404, 422)},
    summary="Cash-up: close a shift with the cash counted",
    openapi_extra={"x-required-permission": SELL_AT_COUNTER},
)
def close_shift(request, shift_id: int, payload: CloseIn):
    """Your own shift (a supervisor may close anyone's). 409 when it is already closed."""
    shift, totals = counter_shifts.close_shift(request.user, shift_id, payload.counted)
    return {**totals.as_api(), "counted": str(shift.counted), "variance": str(shift.variance)}


@router.post(
    "/counter/sales",
    auth=SELLER,
    response={201: SaleOut, 400: UnknownSeats, 409: CounterConflict, **refusals(401, 403, 404, 422)},
    summary="Sell seats and/or food and drinks to a walk-in customer, confirmed at once",
    openapi_extra={"x-required-permission": SELL_AT_COUNTER},
)
def sell(request, payload: SaleIn):
    """Cash needs `tendered` (at least the total); UPI and card need `reference`;
    complimentary needs `reason` and `ticketing.supervise_counter` (403 without it). 409 when a
    seat is held or sold (`unavailable`) or you have no open shift."""
    customer = payload.customer or CustomerIn()
    result = counter_sales.sell_at_counter(
        request.user,
        payload.show,
        payload.seats,
        method=payload.payment.method,
        tendered=payload.payment.tendered,
        reference=payload.payment.reference or "",
        email=customer.email or "",
        phone=customer.phone or "",
        promo_code=(payload.promo_code or "").strip() or None,
        items=[(item.sku, item.quantity) for item in payload.items],
        reason=payload.payment.reason or "",
    )
    booking = result.booking
    return Status(
        201,
        {
            "reference": booking.reference,
            "state": booking.state,
            "total": str(booking.total),
            "change_due": str(result.change_due),
            "tickets": [{"code": ticket.code, "seat": ticket.seat_label} for ticket in result.tickets],
            "items": [{"sku": i.sku, "name": i.name, "quantity": i.quantity, "amount": str(i.amount)} for i in result.items],
            "pickup_code": result.pickup_code,
            "receipt_url": reverse("counter:receipt", args=[booking.reference]),
        },
    )


@router.post(
    "/counter/sales/{reference}/void",
    auth=SUPERVISOR,
    response={200: VoidOut, 409: CounterConflict, **refusals(400, 401, 403, 404, 422)},
    summary="Void a counter sale in its open shift and refund it at the counter",
    openapi_extra={"x-required-permission": SUPERVISE_COUNTER},
)
def void(request, reference: str, payload: VoidIn):
    booking = counter_sales.void_sale(request.user, reference, payload.reason)
    return {"reference": booking.reference, "state": booking.state, "refunded": str(booking.total)}
