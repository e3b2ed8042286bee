"""Why a booking action was refused, in words a customer can act on.

Every refusal carries an HTTP status so the API maps it without knowing the rules; the base
class lives in the kernel (core.errors) so the wallet raises the same kind.
"""

import time
from functools import lru_cache

from django.utils.translation import get_language, gettext, ngettext

from core.errors import BookingError  # the base, imported from here by ticketing code


class SeatsUnavailable(BookingError):
    status = 409
    code = "seats_taken"

    def __init__(self, labels: list[str]):
        names = ", ".join(labels)
        super().__init__(_taken_message(get_language(), len(labels)) % {"seats": names}, unavailable=labels)
        self.labels = labels


@lru_cache(maxsize=256)
def _taken_message(language: str | None, count: int) -> str:
    """The refusal's wording in the active language (the argument keys the memo): more than
    half the attempts of a rush are refused, and each looked it up through the catalogues'
    plural rules."""
    return ngettext(
        "Sorry, %(seats)s was just taken. Pick other seats.", "Sorry, %(seats)s were just taken. Pick other seats.", count
    )


class NotVerified(BookingError):
    status = 403
    code = "not_verified"


class ShowClosed(BookingError):
    status = 400
    code = "show_closed"


class AgeNotConfirmed(BookingError):
    """An A-rated film held without the customer confirming they are 18 or older."""

    status = 400
    code = "age_confirmation_required"

    def __init__(self, title: str):
        super().__init__(
            gettext("“%(title)s” is rated A (adults only): confirm that you are 18 or older to hold seats.") % {"title": title}
        )


class PromoRejected(BookingError):
    status = 400
    code = "promo_rejected"


class NotFound(BookingError):
    status = 404
    code = "not_found"


class RateLimited(BookingError):
    """Limits count per clock minute; `retry_after` is the seconds until the next one."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after if retry_after is not None else 60 - int(time.time()) % 60


class CheckoutInProgress(BookingError):
    """A Pay for this booking is still opening its gateway order: wait, do not open a second."""

    status = 409
    code = "checkout_in_progress"

    def __init__(self, message: str | None = None):
        super().__init__(message or gettext("Your payment is still being set up — try again in a few seconds."))


class NoOpenShift(BookingError):
    """Counter sales belong to a shift: selling without one is refused."""

    status = 409
    code = "no_open_shift"

    def __init__(self, message: str = "You have no open shift. Open a shift at your counter before selling."):
        super().__init__(message)


class ShiftConflict(BookingError):
    """A second open shift for the same staff member, or a change to a closed shift."""

    status = 409
    code = "shift_conflict"


class ItemSoldOut(BookingError):
    """Food or drinks the theater has fewer of than asked: nothing changed (409)."""

    status = 409
    code = "sold_out"

    def __init__(self, name: str, sku: str, left: int = 0):
        if left <= 0:
            message = gettext("Sorry, %(item)s is sold out.") % {"item": name}
        else:
            message = gettext("Sorry, only %(left)s × %(item)s left.") % {"left": left, "item": name}
        super().__init__(message, sold_out=[sku])


class UnknownItem(BookingError):
    """A SKU that is not on this theater's menu (400)."""

    status = 400
    code = "unknown_item"


class StockChangeRefused(BookingError):
    """A staff change to a food stock count that would go below zero or overwrite a sale made
    since the form was loaded: nothing changed (409)."""

    status = 409
    code = "stock_change_refused"


class NotAllowed(BookingError):
    """Signed-in staff asking for what their role does not allow (403), e.g. a complimentary
    sale without ``ticketing.supervise_counter``."""

    status = 403
    code = "forbidden"


class SeatAdmitted(BookingError):
    """A seat let in at the door is used: it cannot be cancelled (nor can the door admit a
    seat cancelled a moment earlier; whichever comes first wins)."""

    status = 409
    code = "seat_admitted"

    def __init__(self, labels: list[str]):
        names = ", ".join(labels)
        message = ngettext(
            "Seat %(seats)s was already admitted at the door and cannot be cancelled.",
            "Seats %(seats)s were already admitted at the door and cannot be cancelled.",
            len(labels),
        )
        super().__init__(message % {"seats": names}, admitted=labels)
