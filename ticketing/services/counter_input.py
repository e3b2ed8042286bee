"""What the counter accepts as amounts, payment details and contact details, refused in words
staff can act on before anything is written."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.money import format_inr, rupees
from ticketing.errors import BookingError
from ticketing.models import CounterMethod

# Far above any till or ticket order: a typo (an extra zero or three) is refused, not banked.
MAX_AMOUNT = Decimal("1000000.00")
AMOUNT = re.compile(r"^\d{1,9}(\.\d+)?$")
PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")
REFERENCE = re.compile(r"^[A-Za-z0-9/-]{4,64}$")
MAX_COUNTER_NAME = 60


def amount(value, what: str) -> Decimal:
    """ "1234.5" → Decimal("1234.50"); refuses negatives, more than 2 decimal places, absurd sums."""
    if isinstance(value, Decimal):
        value = format(value, "f")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise BookingError(f'Enter the {what} in rupees, like "1000.00".')
    text = value.strip()
    if text.startswith("-"):
        raise BookingError(f"The {what} cannot be negative.")
    if not AMOUNT.fullmatch(text):
        raise BookingError(f'The {what} must be an amount in rupees, like "1000.00".')
    if len(text.partition(".")[2]) > 2:
        raise BookingError(f"The {what} has more than 2 decimal places.")
    number = rupees(text)
    if number > MAX_AMOUNT:
        raise BookingError(f"The {what} cannot be more than {format_inr(MAX_AMOUNT)}.")
    return number


def method(value) -> str:
    if value not in CounterMethod.values:
        raise BookingError("Choose how the customer pays: cash, upi or card (or complimentary, for a supervisor).")
    return value


def comp_reason(value) -> str:
    """Why a supervisor gives tickets free: required, kept for the audit log and the reports."""
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text:
        raise BookingError("Give a reason for the complimentary tickets, e.g. “Press screening guest”.")
    if len(text) > 255 or not text.isprintable():
        raise BookingError("Keep the reason for the complimentary tickets to one line of up to 255 characters.")
    return text


def payment_reference(value, chosen: str) -> str:
    """UPI needs its transaction reference, a card its approval code; cash and a comp neither."""
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise BookingError("The payment reference must be text.")
    if chosen in (CounterMethod.CASH, CounterMethod.COMPLIMENTARY):
        return ""
    what = "UPI reference" if chosen == CounterMethod.UPI else "card approval code"
    if not text:
        raise BookingError(f"Enter the {what} for this sale.")
    if not REFERENCE.fullmatch(text):
        raise BookingError(f"The {what} should be 4–64 letters or digits.")
    return text


def contact_email(value) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else ""
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise BookingError(f"“{text[:60]}” is not an e-mail address.") from None
    return text[:254]


def contact_phone(value) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else ""
    if text and not PHONE.fullmatch(text):
        raise BookingError("Enter the phone number as digits, for example +91 98200 12345.")
    return text


def counter_name(value) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text or len(text) > MAX_COUNTER_NAME or not text.isprintable():
        raise BookingError(f"Name the counter (up to {MAX_COUNTER_NAME} characters), for example “Counter 1”.")
    return text


def items(text: str) -> list[tuple[str, int]]:
    """Food and drinks typed at the counter, "POP-L 2, COLA" (no quantity: one), as (SKU,
    quantity) pairs; the sale checks them against the menu."""
    pairs = []
    for part in (text or "").split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and not words[1].isdigit()):
            raise BookingError(f"Write each item as its SKU and a quantity, e.g. POP-L 2 (not “{part.strip()[:40]}”).")
        pairs.append((words[0], int(words[1]) if len(words) == 2 else 1))
    return pairs
