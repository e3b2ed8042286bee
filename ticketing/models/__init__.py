"""Ticketing data: seat inventory, bookings, promo codes, payments, refunds, tickets, the
sent-log, the sandbox, counter shifts and sales, food on bookings."""

from .bookings import Booking, BookingChannel, BookingState, PaymentMode, new_reference
from .counter import PAID_METHODS, CounterMethod, CounterSale, CounterShift, ShiftState
from .emails import EmailStatus, SentEmail
from .food import MAX_QUANTITY, BookingItem, ConcessionStock, FoodPickup, new_pickup_code
from .gift_cards import GiftCard, GiftCardState
from .inventory import SeatState, ShowSeat
from .invoices import CreditNote, DocumentSeries, Invoice, IssuedDocumentChanged, SeriesKind
from .payments import Payment, PaymentEvent, PaymentStatus, Refund, RefundDestination, RefundStatus
from .promos import PromoCode, PromoKind
from .sandbox import SandboxOrder, SandboxPayment, SandboxRefund
from .tickets import Ticket, new_ticket_code

__all__ = [
    "MAX_QUANTITY",
    "BookingItem",
    "ConcessionStock",
    "FoodPickup",
    "new_pickup_code",
    "Booking",
    "GiftCard",
    "GiftCardState",
    "CreditNote",
    "DocumentSeries",
    "Invoice",
    "IssuedDocumentChanged",
    "SeriesKind",
    "BookingChannel",
    "CounterMethod",
    "PAID_METHODS",
    "CounterSale",
    "CounterShift",
    "ShiftState",
    "EmailStatus",
    "SentEmail",
    "Ticket",
    "new_ticket_code",
    "BookingState",
    "Payment",
    "PaymentEvent",
    "PaymentMode",
    "PaymentStatus",
    "PromoCode",
    "PromoKind",
    "Refund",
    "RefundDestination",
    "RefundStatus",
    "SandboxOrder",
    "SandboxPayment",
    "SandboxRefund",
    "SeatState",
    "ShowSeat",
    "new_reference",
]
