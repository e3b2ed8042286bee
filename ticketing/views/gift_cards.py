"""Gift card pages: buy one, see (and pay) it, redeem a code. They call the services and
render; paying goes through the same pay endpoint as a booking (static/js/booking.js)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from core.booking_rules import BookingSettings
from core.client_ip import client_ip
from core.money import group_indian
from ticketing.errors import BookingError
from ticketing.models import BookingState
from ticketing.queries import get_own_gift_card
from ticketing.services import gift_cards
from ticketing.services.gift_cards import MESSAGE_MAX
from ticketing.services.verification import is_verified
from wallet.services import balance as wallet_balance


class GiftCardForm(forms.Form):
    amount = forms.IntegerField(
        label=gettext_lazy("Amount (₹)"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    recipient_email = forms.EmailField(label=gettext_lazy("Recipient’s e-mail address"), required=False, max_length=254)
    recipient_phone = forms.CharField(
        label=gettext_lazy("Recipient’s mobile number"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("We text the code to it as well."),
    )
    message = forms.CharField(
        label=gettext_lazy("Message"), required=False, max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class RedeemForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Gift card code"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


@login_required
@require_http_methods(["GET", "POST"])
def gift_cards_page(request):
    rules = BookingSettings.load()
    form = GiftCardForm(request.POST or None, initial={"amount": 1000})
    low, high = group_indian(str(rules.gift_card_min)), group_indian(str(rules.gift_card_max))
    form.fields["amount"].help_text = gettext("Whole rupees, ₹%(low)s to ₹%(high)s.") % {"low": low, "high": high}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            card = gift_cards.buy_gift_card(
                request.user,
                data["amount"],
                recipient_email=data["recipient_email"],
                recipient_phone=data["recipient_phone"],
                message=data["message"],
            )
        except BookingError as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("gift_card_page", reference=card.booking.reference)
    context = {"form": form, "on_sale": rules.gift_cards_on_sale, "verified": is_verified(request.user)}
    return render(request, "ticketing/gift_cards.html", context, status=400 if form.errors else 200)


@login_required
def gift_card_page(request, reference):
    card = get_own_gift_card(request.user, reference)
    if card is None:
        raise Http404(gettext("No such gift card."))
    booking = card.booking
    now = timezone.now()
    payable = booking.state == BookingState.HELD and booking.held_until is not None and booking.held_until >= now
    context = {
        "card": card,
        "booking": booking,
        "payable": payable,
        "paying": booking.state == BookingState.PAYMENT_PENDING,
        "timed_out": booking.state == BookingState.EXPIRED or (booking.state == BookingState.HELD and not payable),
        "wallet_balance": wallet_balance(request.user) if payable else None,
        "server_now": now,
    }
    return render(request, "ticketing/gift_card.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def redeem_page(request):
    """The account page's redeem form posts here; a refusal is shown with its status."""
    form = RedeemForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            done = gift_cards.redeem_gift_card(request.user, form.cleaned_data["code"], client_ip=client_ip(request))
        except BookingError as refusal:
            form.add_error("code", refusal.message)
            status = refusal.status
        else:
            words = {"credited": f"₹{done.credited:,}", "balance": f"₹{done.balance:,}"}
            messages.success(
                request, gettext("%(credited)s from the gift card is in your wallet. Your balance is %(balance)s.") % words
            )
            return redirect("/account/#wallet")
    elif form.errors:
        status = 400
    return render(request, "ticketing/gift_card_redeem.html", {"form": form}, status=status)
