"""What the JSON API answers, named, so /api/openapi.json documents every body and a client
generated from it has a type for each refusal as well as each success.

Amounts travel as strings in rupees ("450.00"); times are ISO 8601 in IST (+05:30); gateway
amounts are integers in paise, as Razorpay takes them."""

from __future__ import annotations

from typing import Any, Literal

import ninja
from ninja import Field
from pydantic import ConfigDict, ModelWrapValidatorHandler, ValidationInfo, model_validator

RUPEES = {"examples": ["450.00"], "pattern": r"^-?\d+\.\d{2}$"}
IST_TIME = {"examples": ["2026-12-24T18:30:00+05:30"]}
BOOKING_STATES = Literal["held", "payment_pending", "confirmed", "cancelled", "refunded", "expired"]
SEAT_STATES = Literal["available", "held", "sold", "blocked"]


class Schema(ninja.Schema):
    """django-ninja's Schema, with a dict validated by pydantic as it stands. ninja reads every
    field through a getter made for model instances (querysets to lists, files to URLs,
    callables called): dozens of Python calls per body, the largest part of a hold's answer,
    and for a schema refusing extra fields it validated the body twice. Every view here
    answers dicts of plain values (and bodies arrive as parsed JSON), so the getter has
    nothing to convert; anything else still goes through it."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler, info: ValidationInfo) -> Any:
        if type(values) is dict and not cls._ninja_resolvers:
            return handler(values)
        return super()._run_root_validator(values, handler, info)


# --- refusals -----------------------------------------------------------------------------
class Refusal(Schema):
    """Every 4xx/5xx: a sentence to show the customer, and for booking rules a stable code."""

    detail: str = Field(..., examples=["This hold has ended. Pick your seats again."])
    code: str | None = Field(
        None, description="Machine-readable reason for booking rules, e.g. show_closed, promo_rejected.", examples=["show_closed"]
    )


class SeatConflict(Refusal):
    """409 on a hold: seats someone else took meanwhile; the hold changed nothing."""

    unavailable: list[str] = Field(..., description="The seats that were taken.", examples=[["A3", "A4"]])


class UnknownSeats(Refusal):
    """400 on a hold or a counter sale: seats not at this show (or any other booking rule,
    without `unavailable`)."""

    unavailable: list[str] | None = Field(None, description="Seat labels that do not exist at this show.", examples=[["Z99"]])


class CounterConflict(Refusal):
    """409 at the counter: seats held or sold by someone else (`unavailable` lists them), an
    item sold out (`sold_out`), no open shift, or a shift already open or closed."""

    unavailable: list[str] | None = Field(None, description="Seats held or sold by someone else.", examples=[["A3"]])
    sold_out: list[str] | None = Field(None, description="SKUs the theater has too few of.", examples=[["POP-L"]])


class SoldOut(Refusal):
    """409 on food and drinks: the theater has fewer of the item than asked."""

    sold_out: list[str] | None = Field(None, description="The SKU that ran out.", examples=[["POP-L"]])


class UnknownItems(Refusal):
    """400 on food and drinks: SKUs not on this theater's menu (or another booking rule)."""

    unknown: list[str] | None = Field(None, description="SKUs not on the menu.", examples=[["POP-XXL"]])


class ValidationRefusal(Schema):
    """422: the request did not match the schema; one line per problem."""

    detail: str = Field(..., examples=["seats: List should have at least 1 item after validation, not 0"])
    errors: list[str] = Field(..., examples=[["seats: List should have at least 1 item after validation, not 0"]])


# --- shows --------------------------------------------------------------------------------
class ShowOut(Schema):
    id: int
    movie: str = Field(..., examples=["The Monsoon Heist"])
    theater: str
    screen: str
    starts_at: str = Field(..., description="ISO 8601 in IST.", **IST_TIME)
    language: str
    format: str = Field(..., examples=["2D"])
    status: str = Field(..., examples=["scheduled"])
    seats_total: int
    seats_available: int
    url: str = Field(
        ..., description="The show's page, where customers pick seats.", examples=["https://tickets.example.com/movies/x/"]
    )
    accessibility: list[str] = Field(
        ...,
        description="Accessibility tags: cc (captions), audio_description, sensory_friendly.",
        examples=[["cc", "audio_description"]],
    )


class CategoryOut(Schema):
    name: str = Field(..., examples=["Prime"])
    price: str = Field(..., description="Ticket price before GST, in rupees.", **RUPEES)


class SeatOut(Schema):
    label: str = Field(..., examples=["A1"])
    row: str = Field(..., examples=["A"])
    number: int
    category: str
    price: str = Field(..., **RUPEES)
    state: SEAT_STATES
    mine: bool = Field(..., description="Held by you in your current hold.")
    wheelchair: bool = Field(False, description="A wheelchair space.")
    companion: bool = Field(False, description="A companion seat beside a wheelchair space.")
    companion_until: str | None = Field(
        None,
        description="While set, this companion seat can be held only together with the wheelchair space beside it "
        "(a hold asking for it alone is refused, 409 `companion_seat_kept`); after it, an ordinary seat.",
        **IST_TIME,
    )


# --- bookings -----------------------------------------------------------------------------
class TaxOut(Schema):
    name: str = Field(..., examples=["GST on tickets @ 18%"])
    rate: str = Field(..., examples=["18.00"])
    amount: str = Field(..., **RUPEES)
    taxable: str | None = Field(
        None,
        description="The value the tax is charged on, after discount (absent on quotes frozen before it was recorded).",
        pattern=RUPEES["pattern"],
        examples=["450.00"],
    )
    kind: Literal["admission", "fee", "food"] = Field(
        "admission", description="What the tax line is for (its SAC on the invoice)."
    )
    state_waived: bool = Field(False, description="A tax-free film: the state's share is waived, CGST only.")


class QuoteItemOut(Schema):
    sku: str = Field(..., examples=["POP-L"])
    name: str = Field(..., examples=["Large salted popcorn"])
    quantity: int
    unit_price: str = Field(..., description="Before GST.", **RUPEES)
    amount: str = Field(..., description="Before GST and discount.", **RUPEES)


class QuoteOut(Schema):
    """The one pricing function's quote: what the booking costs and what is left to pay."""

    base: str = Field(..., description="Tickets before discount and GST (seats a bundle covers are in its line).", **RUPEES)
    food: str = Field("0.00", description="Food and drinks before discount and GST.", **RUPEES)
    bundles: str = Field("0.00", description="Ticket + food bundles before GST (taxed as tickets).", **RUPEES)
    items: list[QuoteItemOut] = Field(default_factory=list, description="Food and drinks lines (bundles included).")
    discount: str = Field(..., **RUPEES)
    fee: str = Field(..., description="Convenience fee.", **RUPEES)
    taxes: list[TaxOut]
    total: str = Field(..., **RUPEES)
    wallet_applied: str = Field(..., **RUPEES)
    payable: str = Field(..., description="What the gateway takes after the wallet part.", **RUPEES)
    complimentary: bool = Field(False, description="Free tickets given at the counter by a supervisor: every amount zero.")
    face_value: str | None = Field(None, description="A complimentary booking's tickets at their price (never charged).")


class ItemOut(Schema):
    sku: str = Field(..., examples=["POP-L"])
    name: str
    quantity: int
    amount: str = Field(..., description="Before GST.", **RUPEES)


class ItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(..., min_length=1, max_length=20, pattern=r"^\s*[A-Za-z0-9-]+\s*$", examples=["POP-L"])
    quantity: int = Field(..., ge=1, le=20, examples=[2])


class MenuItemOut(Schema):
    sku: str = Field(..., examples=["POP-L"])
    name: str = Field(..., examples=["Large salted popcorn"])
    description: str
    price: str = Field(..., description="Before GST, at this show's theater.", **RUPEES)
    gst_rate: str = Field(..., description="% GST it is charged at (bundles: the ticket rate).", examples=["5.00"])
    veg: bool = Field(..., description="The green vegetarian mark.")
    category: str = Field(..., examples=["popcorn"])
    available: bool = Field(..., description="False once the theater sold out.")
    image: str | None = Field(None, description="A 320×240 picture's address.")


class BookingOut(Schema):
    reference: str = Field(..., examples=["MQ7K2P9QXA"])
    state: BOOKING_STATES
    show: int | None = Field(..., description="The show; null for a gift card's purchase.")
    seats: list[str] = Field(..., examples=[["A1", "A2"]])
    held_until: str | None = Field(..., description="When the hold ends (ISO 8601, IST); null once paid.", **IST_TIME)
    promo_code: str | None
    quote: QuoteOut
    items: list[ItemOut] = Field(default_factory=list, description="Food and drinks on the booking.")
    pickup_code: str | None = Field(
        None, description="Shown at the food stand; once the booking is confirmed with items.", examples=["FD7K2P9QXA"]
    )


class InvoiceOut(Schema):
    number: str = Field(..., examples=["MQMH/26-27/00042"])
    issued_at: str = Field(..., **IST_TIME)
    gstin: str = Field(..., examples=["27AAACM1234A1Z8"])
    url: str = Field(..., description="The tax invoice as a PDF.", examples=["/bookings/MQ7K2P9QXA/invoice.pdf"])


class CreditNoteOut(Schema):
    number: str = Field(..., examples=["CNMH/26-27/00007"])
    issued_at: str = Field(..., **IST_TIME)
    amount: str = Field(..., description="Rupees credited, tax included.", examples=["732.78"])
    url: str = Field(..., examples=["/bookings/MQ7K2P9QXA/credit-notes/1.pdf"])


class BookingDetailOut(BookingOut):
    invoice: InvoiceOut | None = Field(..., description="The tax invoice, once paid (null before, or if none was issued).")
    credit_notes: list[CreditNoteOut] = Field(..., description="One per refund, in issue order.")


class HoldOut(BookingOut):
    warnings: list[str] = Field(..., examples=[["Seat A3 would be left alone between taken seats."]])


class SeatMapOut(Schema):
    show: int
    status: str
    bookable: bool
    max_per_booking: int
    categories: list[CategoryOut]
    seats: list[SeatOut]
    hold: BookingOut | None = Field(..., description="Your current hold on this show, if any (signed in only).")


class PayOut(BookingOut):
    """`confirmed` when the wallet covered it; else `payment_pending` with the gateway order."""

    gateway: str | None = Field(None, examples=["razorpay"])
    key_id: str | None = Field(None, description="The gateway's public key for its checkout.")
    order_id: str | None = Field(None, examples=["order_N5xyz"])
    amount: int | None = Field(None, description="Amount to pay through the gateway, in paise.", examples=[45000])
    currency: Literal["INR"] | None = None
    checkout_url: str | None = Field(None, description="The offline sandbox's checkout page (sandbox only).")
