"""Food and drinks on a held booking: the customer's choice replaces the booking's items.

Prices come from the theater's menu as it is now and are copied onto the lines; the quote
(pricing.quote) prices them. Stock is only checked here: it is taken at checkout."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from cinema.concession_menu import theater_menu
from core.money import rupees
from core.versions import bump_seats
from ticketing.errors import BookingError, UnknownItem
from ticketing.models import MAX_QUANTITY, Booking, BookingItem, BookingState
from ticketing.services.food_stock import check_enough, theater_of
from ticketing.services.pricing import quote

MAX_LINES = 30


def normalise_items(wanted) -> list[tuple[str, int]]:
    """(sku, quantity) pairs, checked: SKUs in capitals, each once, 1 to MAX_QUANTITY of each."""
    pairs = []
    seen = set()
    for sku, quantity in wanted:
        sku = (sku or "").strip().upper()
        if not sku:
            raise UnknownItem(gettext("Every item needs a SKU."))
        if sku in seen:
            raise BookingError(gettext("%(sku)s is listed twice; give its quantity once.") % {"sku": sku})
        if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
            raise BookingError(gettext("Choose between 1 and %(max)s of %(sku)s.") % {"max": MAX_QUANTITY, "sku": sku})
        seen.add(sku)
        pairs.append((sku, quantity))
    if len(pairs) > MAX_LINES:
        raise BookingError(gettext("At most %(max)s different items on one booking.") % {"max": MAX_LINES})
    return pairs


def priced_lines(theater_id: int, pairs: list[tuple[str, int]]) -> list[BookingItem]:
    """Unsaved booking lines at the theater's prices; refuses unknown SKUs and short stock."""
    if not pairs:
        return []
    menu = {entry.sku: entry for entry in theater_menu(theater_id, [sku for sku, _ in pairs])}
    unknown = [sku for sku, _ in pairs if sku not in menu]
    if unknown:
        raise UnknownItem(gettext("Not on this theater's menu: %(skus)s.") % {"skus": ", ".join(unknown)}, unknown=unknown)
    check_enough(theater_id, [(menu[sku].item, quantity) for sku, quantity in pairs])
    lines = []
    for sku, quantity in pairs:
        entry = menu[sku]
        lines.append(
            BookingItem(
                item=entry.item,
                sku=sku,
                name=entry.item.name,
                quantity=quantity,
                unit_price=entry.price,
                amount=rupees(entry.price * quantity),
                seats_included=entry.item.seats_included,
                seat_category=entry.item.seat_category,
            )
        )
    return lines


@transaction.atomic
def set_items(booking: Booking, wanted) -> Booking:
    """Replace a held booking's food and drinks (an empty list removes them)."""
    pairs = normalise_items(wanted)
    locked = Booking.objects.select_for_update().get(pk=booking.pk)  # the booking's row only
    if locked.state != BookingState.HELD or (locked.held_until and locked.held_until < timezone.now()):
        raise BookingError(gettext("Food and drinks can be changed only while your seats are held."))
    lines = priced_lines(theater_of(locked.show_id), pairs)
    if locked.has_items:
        BookingItem.objects.filter(booking_id=locked.pk).delete()
    for line in lines:
        line.booking = locked
    BookingItem.objects.bulk_create(lines)
    locked.has_items = bool(lines)
    locked.save(update_fields=["has_items", "updated_at"])
    problems = quote(locked).problems
    if problems:
        raise BookingError(" ".join(problems))
    bump_seats(locked.show_id)  # the hold's quote on the seat map changed
    return locked
