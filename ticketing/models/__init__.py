"""Ticketing data: seat inventory, bookings and promo codes."""

from .bookings import Booking, BookingState, new_reference
from .inventory import SeatState, ShowSeat
from .promos import PromoCode, PromoKind

__all__ = ["Booking", "BookingState", "PromoCode", "PromoKind", "SeatState", "ShowSeat", "new_reference"]
