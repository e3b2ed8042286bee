"""Ticketing data: seat inventory, bookings, promo codes, payments, refunds, the sandbox."""

from .bookings import Booking, BookingState, PaymentMode, new_reference
from .inventory import SeatState, ShowSeat
from .payments import Payment, PaymentEvent, PaymentStatus, Refund, RefundDestination, RefundStatus
from .promos import PromoCode, PromoKind
from .sandbox import SandboxOrder, SandboxPayment, SandboxRefund

__all__ = [
    "Booking",
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
