"""The customer's account page: their e-mail address and mobile number (with the channels they
chose for texts), their bookings (upcoming and past) and their wallet (balance and latest
ledger rows).

Reads only, in a fixed number of queries however many bookings or ledger rows there are: each
list is one query with its relations joined in.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from messaging.models import MobileNumber
from ticketing.models import Booking, BookingState
from ticketing.queries import get_gift_cards_bought, get_past_bookings, get_upcoming_bookings
from ticketing.services.verification import is_verified
from ticketing.views.gift_cards import RedeemForm
from wallet.models import WalletTransaction
from wallet.services import balance

PAST_PER_PAGE = 10
WALLET_ROWS = 20


@dataclass(frozen=True)
class Badge:
    label: str
    tone: str  # ok | warn | bad | info | plain: the badge's colour in marquee.css


BADGES = {
    BookingState.CONFIRMED: Badge(gettext_lazy("Confirmed"), "ok"),
    BookingState.HELD: Badge(gettext_lazy("Seats held"), "warn"),
    BookingState.PAYMENT_PENDING: Badge(gettext_lazy("Payment pending"), "warn"),
    BookingState.CANCELLED: Badge(gettext_lazy("Cancelled"), "bad"),
    BookingState.REFUNDED: Badge(gettext_lazy("Refunded"), "info"),
    BookingState.EXPIRED: Badge(gettext_lazy("Expired"), "plain"),
}


def _with_badges(bookings, now) -> list[Booking]:
    bookings = list(bookings)
    for booking in bookings:
        state = booking.state
        if state == BookingState.HELD and (booking.held_until is None or booking.held_until < now):
            state = BookingState.EXPIRED  # lazily expired: the sweep has not caught up yet
        booking.badge = BADGES.get(state, Badge(booking.get_state_display(), "plain"))
        booking.is_active_hold = state == BookingState.HELD
    return bookings


@login_required
def account_page(request):
    user = request.user
    now = timezone.now()
    addresses = list(EmailAddress.objects.filter(user=user).order_by("-primary", "email"))
    past_page = Paginator(get_past_bookings(user, now), PAST_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "mobile": MobileNumber.objects.filter(user=user).first(),
        "email": addresses[0].email if addresses else user.email,
        "email_verified": is_verified(user),
        "upcoming": _with_badges(get_upcoming_bookings(user, now), now),
        "past": _with_badges(past_page.object_list, now),
        "past_page": past_page,
        "wallet_balance": balance(user),
        "gift_cards": get_gift_cards_bought(user),
        "redeem_form": RedeemForm(),
        "wallet_rows": list(
            WalletTransaction.objects.filter(wallet__user=user)
            .select_related("booking")
            .order_by("-created_at", "-pk")[:WALLET_ROWS]
        ),
    }
    return render(request, "home/account_page.html", context)
