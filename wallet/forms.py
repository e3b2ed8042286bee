"""The finance credit/refund form: what staff may type, checked before any money moves."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms

from core.booking_rules import BookingSettings
from core.money import format_inr
from wallet.models import TransactionKind

STAFF_KINDS = [(TransactionKind.CREDIT.value, "Credit"), (TransactionKind.REFUND.value, "Refund for a booking")]


def new_request_token() -> str:
    return uuid.uuid4().hex


class CreditForm(forms.Form):
    """A credit or a refund into one customer's wallet. An adjustment debit is not offered:
    money leaves a wallet only through a booking."""

    amount = forms.DecimalField(
        label="Amount (₹)", max_digits=10, decimal_places=2, min_value=Decimal("0.01"), help_text="In rupees, like 250 or 99.50."
    )
    kind = forms.ChoiceField(choices=STAFF_KINDS, widget=forms.RadioSelect, initial=TransactionKind.CREDIT.value)
    reason = forms.CharField(max_length=255, help_text="Shown to the customer and kept in the ledger.")
    booking = forms.CharField(
        label="Booking reference", required=False, max_length=12, help_text="Required for a refund, e.g. MQ7K2P9XCD."
    )
    request_token = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args, wallet, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.wallet = wallet
        self.user = user
        if not self.is_bound:
            self.initial.setdefault("request_token", new_request_token())

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason: it is shown to the customer and kept in the ledger.")
        return reason

    def clean_request_token(self):
        token = self.cleaned_data["request_token"]
        try:
            return uuid.UUID(hex=token).hex
        except ValueError:
            raise forms.ValidationError("This form has expired: open it again.") from None

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        cap = BookingSettings.load().refund_cap
        if amount > cap and not self.user.is_superuser:
            raise forms.ValidationError(f"Amounts above {format_inr(cap)} need a superuser.")
        return amount

    def clean_booking(self):
        """The customer's own booking with that reference (a ticketing Booking), or None."""
        reference = self.cleaned_data["booking"].strip().upper()
        if not reference:
            return None
        booking = self.wallet.user.bookings.filter(reference=reference).select_related("user").first()
        if booking is None:
            raise forms.ValidationError(f"{reference} is not a booking of {self.wallet.user.email or 'this customer'}.")
        return booking

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == TransactionKind.REFUND and "booking" in cleaned and cleaned["booking"] is None:
            self.add_error("booking", "A refund needs the booking it refunds.")
        return cleaned
