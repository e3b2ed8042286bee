"""Food stock per theater: taken when a booking moves to payment, given back when that sale is
undone (checkout abandoned or failed, payment refunded, booking cancelled).

Each line is one conditional UPDATE (``quantity >= asked``): the row count decides, so under
any number of simultaneous checkouts the count never goes below zero and never oversells.
Items without a stock row are not counted. Callers hold the booking's row lock."""

from __future__ import annotations

from django.db.models import F

from cinema.models import ShowPage
from ticketing.errors import ItemSoldOut
from ticketing.models import BookingItem, ConcessionStock


def theater_of(show_id: int) -> int:
    return ShowPage.objects.values_list("screen__theater_id", flat=True).get(pk=show_id)


def stock_left(theater_id: int, item_ids) -> dict[int, int]:
    """item id → count left, for the counted items among these."""
    rows = ConcessionStock.objects.filter(theater_id=theater_id, item_id__in=list(item_ids))
    return dict(rows.values_list("item_id", "quantity"))


def check_enough(theater_id: int, lines) -> None:
    """Refuse (409, naming the item) what the stand has fewer of right now; the checkout's
    UPDATE is what finally decides. ``lines``: (item, quantity) pairs."""
    left = stock_left(theater_id, [item.pk for item, _ in lines])
    for item, quantity in lines:
        if item.pk in left and left[item.pk] < quantity:
            raise ItemSoldOut(item.name, item.sku, left[item.pk])


def take_stock(booking) -> None:
    """Take the booking's items from its theater's stock, or refuse naming the first that ran
    out (the caller's transaction rolls back whatever was taken before it)."""
    lines = list(BookingItem.objects.filter(booking_id=booking.pk, stock_taken=False))
    if not lines:
        return
    theater_id = theater_of(booking.show_id)
    counted = stock_left(theater_id, [line.item_id for line in lines])
    for line in lines:
        if line.item_id not in counted:
            continue
        taken = ConcessionStock.objects.filter(theater_id=theater_id, item_id=line.item_id, quantity__gte=line.quantity).update(
            quantity=F("quantity") - line.quantity
        )
        if not taken:
            left = ConcessionStock.objects.filter(theater_id=theater_id, item_id=line.item_id).values_list("quantity", flat=True)
            raise ItemSoldOut(line.name, line.sku, left.first() or 0)
    BookingItem.objects.filter(pk__in=[line.pk for line in lines if line.item_id in counted]).update(stock_taken=True)


def give_back_stock(booking) -> None:
    """Return what the booking's items took; a second call returns nothing more."""
    if not booking.has_items:
        return
    lines = list(BookingItem.objects.filter(booking_id=booking.pk, stock_taken=True))
    if not lines:
        return
    theater_id = theater_of(booking.show_id)
    for line in lines:
        ConcessionStock.objects.filter(theater_id=theater_id, item_id=line.item_id).update(quantity=F("quantity") + line.quantity)
    BookingItem.objects.filter(pk__in=[line.pk for line in lines]).update(stock_taken=False)
