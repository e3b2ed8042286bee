"""Forms for the finance actions on bookings: where the money goes back, and why."""

from django import forms

from ticketing.models.payments import RefundDestination


class CancelForm(forms.Form):
    destination = forms.ChoiceField(
        label="Refund to",
        choices=RefundDestination.choices,
        initial=RefundDestination.WALLET,
        widget=forms.RadioSelect,
        help_text="Wallet refunds are instant; refunds to the original payment method go through the gateway.",
    )
    reason = forms.CharField(max_length=255, help_text="Shown to the customer and kept with the refund.")

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason: it is shown to the customer and kept with the refund.")
        return reason
