"""What a customer's cancellation would return: one function, ``cancellation_quote``, that the
booking page, the API preview and the cancellation itself call, so the amount shown before
confirming is the amount refunded.

The policy is the tiers in Booking settings (core/cancel_tiers.py): the tier covering the hours
left before the show, for the destination chosen, gives the fee; the value of the seats
cancelled comes from the one pricing function (quote of all seats minus quote of the seats
kept, with the booking's promo code and food), scaled to what the booking was paid, so a promo
share, the convenience fee and GST go with the seats they belong to. Cancelling every
remaining seat is cancelling the booking: its food goes too, and the whole value left is the
value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext

from core.booking_rules import BookingSettings
from core.cancel_tiers import DESTINATIONS, Tier, tiers
from core.formatting import showdatetime
from core.money import ZERO, format_inr, percent_of, rupees
from ticketing.errors import BookingError, SeatAdmitted
from ticketing.models import Booking, BookingChannel, BookingState, PaymentStatus, ShowSeat, Ticket
from ticketing.services.item_lines import item_lines
from ticketing.services.pricing import price_seats
from ticketing.services.wallet_part import wallet_taken

DESTINATION_WORDS = {"wallet": gettext_lazy("your Marquee wallet"), "source": gettext_lazy("the original payment method")}


@dataclass(frozen=True)
class CancelQuote:
    seats: tuple[str, ...]
    remaining: tuple[str, ...]
    destination: str
    value: Decimal  # what the cancelled part was paid
    fee_percent: Decimal
    fee: Decimal
    refund: Decimal
    tier: Tier

    @property
    def whole(self) -> bool:
        return not self.remaining

    @property
    def summary(self) -> str:
        """One sentence the customer reads before confirming."""
        words = {"refund": format_inr(self.refund), "to": DESTINATION_WORDS[self.destination], "seats": ", ".join(self.seats)}
        if self.fee:
            words.update(value=format_inr(self.value), percent=f"{self.fee_percent.normalize():f}", fee=format_inr(self.fee))
            if self.whole:
                text = gettext(
                    "Cancelling the whole booking refunds %(refund)s (%(value)s less a %(percent)s%% fee of %(fee)s) to %(to)s."
                )
            else:
                text = gettext(
                    "Cancelling %(seats)s refunds %(refund)s (%(value)s less a %(percent)s%% fee of %(fee)s) to %(to)s."
                )
        elif self.whole:
            text = gettext("Cancelling the whole booking refunds %(refund)s to %(to)s.")
        else:
            text = gettext("Cancelling %(seats)s refunds %(refund)s to %(to)s.")
        return text % words

    def as_api(self) -> dict:
        return {
            "seats": list(self.seats),
            "remaining": list(self.remaining),
            "whole_booking": self.whole,
            "to": self.destination,
            "value": str(self.value),
            "fee_percent": str(self.fee_percent),
            "fee": str(self.fee),
            "refund": str(self.refund),
            "summary": self.summary,
        }


def hours_before(booking: Booking, now) -> Decimal:
    return Decimal((booking.show.starts_at - now).total_seconds()) / 3600


def tier_now(destination: str, hours: Decimal) -> Tier | None:
    return next((tier for tier in tiers() if tier.destination == destination and tier.covers(hours)), None)


def open_tiers(hours: Decimal) -> list[Tier]:
    """The tiers open this many hours before a show, wallet first (what the page offers)."""
    found = [tier_now(destination, hours) for destination in DESTINATIONS]
    return [tier for tier in found if tier is not None and tier.allowed]


def _closed(booking: Booking, hours: Decimal) -> BookingError:
    """No destination is open: say until when cancelling was possible (or will be never)."""
    later = [tier.from_hours for tier in tiers() if tier.allowed and tier.from_hours > hours]
    if not later:
        return BookingError(gettext("This booking can no longer be cancelled online. Please contact the box office."))
    cutoff = booking.show.starts_at - timedelta(hours=min(later))
    return BookingError(
        gettext("Bookings can be cancelled until %(hours)s h before the show (%(when)s).")
        % {"hours": min(later), "when": showdatetime(cutoff)}
    )


def _tier(booking: Booking, destination: str | None, hours: Decimal) -> Tier:
    open_now = open_tiers(hours)
    if destination is None:
        if not open_now:
            raise _closed(booking, hours)
        return open_now[0]
    if destination not in DESTINATIONS:
        raise BookingError(gettext("Choose where the money goes: the wallet or the original payment method."))
    tier = tier_now(destination, hours)
    if tier is not None and tier.allowed:
        return tier
    if not open_now:
        raise _closed(booking, hours)
    other = DESTINATION_WORDS[open_now[0].destination]
    words = {"to": DESTINATION_WORDS[destination], "other": other}
    if tier is None:
        raise BookingError(gettext("Refunds to %(to)s are not offered; choose %(other)s.") % words)
    words["window"] = tier.window
    raise BookingError(gettext("Refunds to %(to)s are not available %(window)s; choose %(other)s.") % words)


def _chosen_seats(booking: Booking, seats) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(seats to cancel, seats kept), both in the booking's order; refuses seats not in it."""
    mine = list(booking.seats)
    if not seats:
        return tuple(mine), ()
    wanted = {str(label).strip().upper() for label in seats}
    strangers = sorted(wanted - set(mine))
    if strangers:
        message = ngettext("%(seats)s is not in this booking.", "%(seats)s are not in this booking.", len(strangers))
        raise BookingError(message % {"seats": ", ".join(strangers)})
    return tuple(label for label in mine if label in wanted), tuple(label for label in mine if label not in wanted)


def value_left(booking: Booking) -> Decimal:
    """What the booking's seats still held (and its food) were paid: the whole payment until a
    seat was cancelled on its own, then the frozen total less what such cancellations took."""
    if booking.cancelled_value:
        return max(ZERO, rupees((booking.total or ZERO) - booking.cancelled_value))
    paid = booking.payments.filter(status=PaymentStatus.PAID).exclude(refunds__isnull=False)
    return rupees(wallet_taken(booking) + sum((p.amount_paid or ZERO for p in paid), ZERO))


def part_value(booking: Booking, cancelled: tuple[str, ...], kept: tuple[str, ...]) -> Decimal:
    """The value of the seats cancelled: quote(all) − quote(kept), by the one pricing function,
    scaled to what is left of the payment (prices edited since cannot change the refund)."""
    left = value_left(booking)
    if not kept:
        return left
    categories = dict(ShowSeat.objects.filter(show_id=booking.show_id, label__in=booking.seats).values_list("label", "category"))
    items = item_lines(booking)
    now_all = price_seats(booking.show, [categories[s] for s in booking.seats], promo=booking.promo, items=items)
    now_kept = price_seats(booking.show, [categories[s] for s in kept], promo=booking.promo, items=items)
    if now_kept.problems:
        raise BookingError(gettext("Your food bundle comes with these seats: cancel the whole booking instead."))
    if not now_all.total:
        return ZERO
    return min(left, max(ZERO, rupees(left * (now_all.total - now_kept.total) / now_all.total)))


def cancellation_quote(booking: Booking, seats=None, destination: str | None = None, now=None) -> CancelQuote:
    """The refund a customer gets for cancelling ``seats`` (all when empty) of this booking to
    ``destination`` (the first one offered when None), or the BookingError saying why not."""
    now = now or timezone.now()
    if not BookingSettings.load().customer_cancellation:
        raise BookingError(gettext("Bookings cannot be cancelled online. Please contact the box office."))
    if booking.state != BookingState.CONFIRMED or booking.channel != BookingChannel.ONLINE:
        raise BookingError(gettext("Only a confirmed booking can be cancelled."))
    cancelled, kept = _chosen_seats(booking, seats)
    if now >= booking.show.starts_at:
        raise BookingError(gettext("The show has started: bookings can no longer be cancelled."))
    hours = hours_before(booking, now)
    tier = _tier(booking, destination, hours)
    if kept and tier.whole_booking_only:
        raise BookingError(
            gettext("%(window)s, only the whole booking can be cancelled, not some of its seats.")
            % {"window": capfirst(tier.window)}
        )
    admitted = list(
        Ticket.objects.filter(booking=booking, seat_label__in=cancelled, used_at__isnull=False).values_list(
            "seat_label", flat=True
        )
    )
    if admitted:
        raise SeatAdmitted(sorted(admitted))
    value = part_value(booking, cancelled, kept)
    fee = percent_of(value, tier.fee_percent)
    return CancelQuote(cancelled, kept, tier.destination, value, tier.fee_percent, fee, rupees(value - fee), tier)
