"""Food and drinks sales for the reports: by item, theater or day, the attach rate (items per
ticket) and the stock left. Counted on paid bookings, as the sales report counts them."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, IntegerField, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate

from core.money import ZERO, rupees
from ticketing.models import BookingItem, ConcessionStock, Ticket
from ticketing.reports.queries import MONEY, PAID_STATES, Period

FOOD_GROUPS = {
    "item": {"sku_code": F("sku"), "item_name": F("name")},
    "theater": {
        "theater_id": F("booking__show__screen__theater_id"),
        "theater_title": F("booking__show__screen__theater__title"),
    },
    "day": {"day": TruncDate("booking__confirmed_at")},
}
FOOD_ORDER = {"item": ("sku_code",), "theater": ("theater_title", "theater_id"), "day": ("-day",)}


def sold_lines(period: Period, theater=None) -> QuerySet[BookingItem]:
    lines = BookingItem.objects.filter(
        period.filter("booking__confirmed_at"), booking__state__in=PAID_STATES, booking__confirmed_at__isnull=False
    )
    if theater is not None:
        lines = lines.filter(booking__show__screen__theater=theater)
    return lines


def food_rows(period: Period, group: str = "item", theater=None) -> QuerySet:
    return (
        sold_lines(period, theater)
        .order_by()
        .values(**FOOD_GROUPS[group])
        .annotate(
            quantity=Coalesce(Sum("quantity"), 0, output_field=IntegerField()),
            amount=Coalesce(Sum("amount"), ZERO, output_field=MONEY),
            bookings=Count("booking", distinct=True),
        )
        .order_by(*FOOD_ORDER[group])
    )


def food_totals(period: Period, theater=None) -> dict:
    """Items and their value (before GST), and the attach rate: items per ticket sold."""
    figures = sold_lines(period, theater).aggregate(
        quantity=Coalesce(Sum("quantity"), 0, output_field=IntegerField()),
        amount=Coalesce(Sum("amount"), ZERO, output_field=MONEY),
    )
    tickets = Ticket.objects.filter(
        period.filter("booking__confirmed_at"), booking__state__in=PAID_STATES, booking__confirmed_at__isnull=False
    )
    if theater is not None:
        tickets = tickets.filter(booking__show__screen__theater=theater)
    count = tickets.count()
    rate = (Decimal(figures["quantity"]) / count).quantize(Decimal("0.01")) if count else Decimal("0.00")
    return {"quantity": figures["quantity"], "amount": rupees(figures["amount"]), "tickets": count, "attach_rate": rate}


def stock_left(theater=None) -> list[ConcessionStock]:
    rows = ConcessionStock.objects.select_related("item", "theater").order_by("theater__title", "item__sku")
    if theater is not None:
        rows = rows.filter(theater=theater)
    return list(rows)
