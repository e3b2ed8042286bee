"""Promo codes: whether a code applies to a booking (and if not, exactly why), and how much
it takes off. Usage limits are counted under a lock on the code when a booking moves to
payment, so they hold however many customers check out at once."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.formatting import day_month
from core.money import ZERO, format_inr, percent_of, rupees
from core.versions import bump_seats
from ticketing.errors import BookingError, PromoRejected
from ticketing.models import Booking, BookingState, PromoCode, PromoKind
from ticketing.services.ticket_lines import seat_categories, ticket_lines

# Bookings that count as a use of their code: on their way to payment or paid.
USING_STATES = (BookingState.PAYMENT_PENDING, BookingState.CONFIRMED)
# Bookings that make a later one "not the first": any that went on to payment.
BOOKED_STATES = (*USING_STATES, BookingState.CANCELLED, BookingState.REFUNDED)
MAX_CODE_LENGTH = 30


def _day(value) -> str:
    return day_month(value)


def uses(promo, user=None) -> int:
    bookings = Booking.objects.filter(promo=promo, state__in=USING_STATES)
    if user is not None:
        bookings = bookings.filter(user=user)
    return bookings.count()


def eligible_amount(promo, tickets) -> Decimal:
    categories = promo.category_list()
    return rupees(sum((t.amount for t in tickets if not categories or t.category.lower() in categories), ZERO))


def promo_discount(promo, show, tickets, base: Decimal, food: Decimal = ZERO) -> Decimal:
    """What the code takes off these tickets, and ``food`` (the food it applies to), never more
    than they cost."""
    eligible = eligible_amount(promo, tickets) + food
    base = base + food
    if promo.kind == PromoKind.PERCENT:
        discount = percent_of(eligible, promo.value)
        if promo.max_discount is not None:
            discount = min(discount, promo.max_discount)
    else:
        discount = promo.value
    return rupees(min(discount, eligible, base))


def check_promo(promo, booking, now=None) -> None:
    """Raise PromoRejected with the specific reason the code does not apply to this booking."""
    now = now or timezone.now()
    if not promo.active:
        raise PromoRejected(gettext("The code %(code)s is no longer active.") % {"code": promo.code})
    if promo.valid_from and now < promo.valid_from:
        raise PromoRejected(
            gettext("The code %(code)s can be used from %(day)s.") % {"code": promo.code, "day": _day(promo.valid_from)}
        )
    if promo.valid_to and now >= promo.valid_to:
        raise PromoRejected(gettext("The code %(code)s expired on %(day)s.") % {"code": promo.code, "day": _day(promo.valid_to)})
    show = booking.show
    movies = list(promo.movies.all())
    if movies and show.movie_id not in {m.pk for m in movies}:
        raise PromoRejected(
            gettext("The code %(code)s is not valid for %(movie)s.") % {"code": promo.code, "movie": show.movie.title}
        )
    theaters = list(promo.theaters.all())
    if theaters and show.screen.theater_id not in {t.pk for t in theaters}:
        raise PromoRejected(
            gettext("The code %(code)s is not valid at %(theater)s.") % {"code": promo.code, "theater": show.screen.theater.title}
        )
    tickets, base = ticket_lines(show, seat_categories(booking))  # before any discount, fee or tax
    if promo.category_list() and not eligible_amount(promo, tickets):
        raise PromoRejected(
            gettext("The code %(code)s is only for %(categories)s seats.")
            % {"code": promo.code, "categories": promo.seat_categories}
        )
    if base < promo.min_order:
        raise PromoRejected(
            gettext("The code %(code)s needs a minimum order of %(amount)s (tickets before fees and GST).")
            % {"code": promo.code, "amount": format_inr(promo.min_order)}
        )
    earlier = Booking.objects.filter(user=booking.user, state__in=BOOKED_STATES).exclude(pk=booking.pk)
    if promo.first_booking_only and earlier.exists():
        raise PromoRejected(gettext("The code %(code)s is for a first booking only.") % {"code": promo.code})
    if promo.per_customer_limit is not None and uses(promo, booking.user) >= promo.per_customer_limit:
        raise PromoRejected(gettext("You have already used the code %(code)s as many times as it allows.") % {"code": promo.code})
    if promo.total_limit is not None and uses(promo) >= promo.total_limit:
        raise PromoRejected(gettext("The code %(code)s has been fully used.") % {"code": promo.code})


def find_promo(code, booking) -> PromoCode:
    if not isinstance(code, str) or not code.strip():
        raise PromoRejected(gettext("Enter a promo code."))
    code = code.strip().upper()
    if len(code) > MAX_CODE_LENGTH:
        raise PromoRejected(gettext("That is not a promo code."))
    promo = PromoCode.objects.filter(code=code).first()
    if promo is None:
        raise PromoRejected(gettext("There is no promo code %(code)s.") % {"code": code})
    check_promo(promo, booking)
    return promo


@transaction.atomic
def apply_promo(booking, code) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.state != BookingState.HELD:
        raise BookingError(gettext("Promo codes can only be added while your seats are held."))
    booking.promo = find_promo(code, booking)
    booking.save(update_fields=["promo", "updated_at"])
    bump_seats(booking.show_id)  # the hold's quote on the seat map changed
    return booking


@transaction.atomic
def remove_promo(booking) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.state == BookingState.HELD and booking.promo_id:
        booking.promo = None
        booking.save(update_fields=["promo", "updated_at"])
        bump_seats(booking.show_id)
    return booking


@transaction.atomic
def begin_checkout(booking) -> Booking:
    """Move a held booking to payment. Its promo code is re-checked and counted under a lock
    on the code's row, so a code limited to N uses is used at most N times."""
    booking = lock_for_checkout(booking)
    booking.save(update_fields=["state", "updated_at"])
    return booking


def lock_for_checkout(booking) -> Booking:
    """begin_checkout's lock and checks inside the caller's transaction (select_for_update
    refuses to run outside one), the new state left for the caller to save with the rest of
    its changes: checkout writes the frozen price at once, one UPDATE and no savepoint
    instead of two UPDATEs around a savepoint."""
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    _keep_loaded_show(locked, booking)
    return checkout_locked(locked)


def checkout_locked(locked) -> Booking:
    """lock_for_checkout's checks for a booking the caller has just locked (FOR UPDATE) in its
    transaction."""
    if locked.state != BookingState.HELD:
        raise BookingError(gettext("These seats are no longer held."))
    if locked.held_until and locked.held_until < timezone.now():
        raise BookingError(gettext("Your hold has run out. Please choose your seats again."))
    if locked.promo_id:
        promo = PromoCode.objects.select_for_update().get(pk=locked.promo_id)
        locked.promo = promo  # the locked, current row: quote() reads this one
        check_promo(promo, locked)
    locked.state = BookingState.PAYMENT_PENDING
    # The seat map shows a held booking as the customer's hold; once it is being paid it is not.
    # After commit, so a checkout that rolls back (nothing to pay, a rejected code) bumps nothing.
    bump_seats(locked.show_id)
    return locked


def _keep_loaded_show(locked: Booking, original: Booking) -> None:
    """The show the caller already read (a booking's show never changes): pricing the locked
    booking then needs no second read of the page."""
    if Booking.show.is_cached(original) and original.show_id == locked.show_id:
        locked.show = original.show
