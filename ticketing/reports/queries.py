"""Aggregate queries behind the finance reports: every figure is summed by the database
(GROUP BY), so each report costs a fixed number of queries however many bookings it covers.

What counts as a sale
    A booking that was paid: state confirmed, cancelled or refunded, with ``confirmed_at`` set
    (only the finalizer confirms, after the money arrived). Held, pending and expired bookings
    never count, nor do late payments that were refunded without a ticket. A sale belongs to
    the IST day it was confirmed; the period filters on that day.

Where each figure comes from
    base, discount and fee come from the quote frozen on the booking at checkout
    (``price_breakdown``); total, wallet and gateway from the booking's own columns, and a
    counter sale's total as taken at the counter, so wallet + gateway + counter = total. GST is total − (base − discount + fee), which is exactly the sum
    of the quote's tax lines (quote() adds them that way), without unpacking a JSON list in SQL.

Complimentary tickets
    A supervisor's free counter tickets are sales with every amount zero (no consideration, no
    GST): they count in bookings and tickets, and apart as ``comps``, never in any money figure.

Refunds
    Processed ``Refund`` rows (to the wallet or to the source) of the covered bookings that are
    cancelled or refunded, attributed to the booking's row (its sale day, movie, show), not to
    the day the refund went out: a row's net = total − refunds of the same bookings, so the
    report always reconciles. Pending or failed gateway refunds are not money returned yet and
    are left out (the dashboard lists them). A refund of a duplicate payment on a confirmed
    booking returns money that never entered the total, so it is left out too; staff wallet
    credits of kind "refund" made from the credit form are goodwill, not sales refunds, and
    appear in the wallet ledger summary only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, NullIf, TruncDate
from django.utils import timezone

from cinema.models import ShowPage
from core.money import rupees
from ticketing.models import (
    Booking,
    BookingChannel,
    BookingState,
    CounterMethod,
    CounterShift,
    PaymentMode,
    PromoCode,
    RefundStatus,
    SeatState,
    ShowSeat,
    Ticket,
)
from ticketing.models.payments import Refund
from wallet.models import Wallet, WalletTransaction

PAID_STATES = (BookingState.CONFIRMED, BookingState.CANCELLED, BookingState.REFUNDED)
RETURNED_STATES = (BookingState.CANCELLED, BookingState.REFUNDED)
MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(0, output_field=MONEY)


@dataclass(frozen=True)
class Period:
    """Inclusive IST dates; None is open-ended."""

    start: date | None = None
    end: date | None = None

    @classmethod
    def last_days(cls, days: int = 30, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(today - timedelta(days=days - 1), today)

    def filter(self, field: str) -> Q:
        """Times from the start of the first IST day to the end of the last, as a plain range
        on the column (so its index serves)."""
        q = Q()
        if self.start:
            q &= Q(**{f"{field}__gte": _midnight(self.start)})
        if self.end:
            q &= Q(**{f"{field}__lt": _midnight(self.end + timedelta(days=1))})
        return q


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _money(expression):
    return Coalesce(expression, ZERO, output_field=MONEY)


def _quoted(key: str, relation: str = "price_breakdown"):
    """One amount from the frozen quote (stored as a string, "450.00")."""
    return _money(Cast(KeyTextTransform(key, relation), MONEY))


# --- sales -----------------------------------------------------------------------------------
SALES_GROUPS = {
    "day": {"day": TruncDate("confirmed_at")},
    "movie": {"movie_id": F("show__movie_id"), "movie_title": F("show__movie__title")},
    "theater": {"theater_id": F("show__screen__theater_id"), "theater_title": F("show__screen__theater__title")},
    "show": {
        "show_pk": F("show_id"),
        "starts_at": F("show__starts_at"),
        "movie_title": F("show__movie__title"),
        "theater_title": F("show__screen__theater__title"),
        "screen_name": F("show__screen__name"),
    },
    # Online bookings by how they were paid (wallet, gateway, both); counter sales by method.
    "channel": {"channel_code": F("channel"), "method_code": Coalesce(F("counter_sale__method"), F("payment_mode"))},
}
SALES_ORDER = {
    "day": ("-day",),
    "movie": ("movie_title", "movie_id"),
    "theater": ("theater_title", "theater_id"),
    "show": ("starts_at", "show_pk"),
    "channel": ("channel_code", "method_code"),
}


def get_paid_bookings(period: Period, theater=None, movie=None) -> QuerySet[Booking]:
    """Sales: a gift card's purchase (no show) is not one; its money is counted when spent."""
    bookings = Booking.objects.filter(
        period.filter("confirmed_at"), state__in=PAID_STATES, confirmed_at__isnull=False, show__isnull=False
    )
    if theater is not None:
        bookings = bookings.filter(show__screen__theater=theater)
    if movie is not None:
        bookings = bookings.filter(show__movie=movie)
    return bookings


def _refunded_per_booking():
    rows = (
        Refund.objects.filter(booking=OuterRef("pk"), booking__state__in=RETURNED_STATES, status=RefundStatus.PROCESSED)
        .values("booking")
        .annotate(amount=Sum("amount"))
        .values("amount")
    )
    return _money(Subquery(rows, output_field=MONEY))


def _tickets_per_booking():
    rows = Ticket.objects.filter(booking=OuterRef("pk")).values("booking").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def sales_figures() -> dict:
    """The aggregates of a sales row (or of the whole period)."""
    return {
        "bookings": Count("pk"),
        "tickets": Coalesce(Sum(_tickets_per_booking()), 0),
        # Complimentary tickets (in "tickets" too): given free at the counter, no money in any figure.
        "comps": Coalesce(Sum(_tickets_per_booking(), filter=Q(payment_mode=PaymentMode.COMPLIMENTARY)), 0),
        "gross": _money(Sum(_quoted("base"))),
        "food": _money(Sum(_quoted("food"))),
        "bundles": _money(Sum(_quoted("bundles"))),
        "discount": _money(Sum(_quoted("discount"))),
        "fee": _money(Sum(_quoted("fee"))),
        # Before "total": once that aggregate is named, "total" means it, not the column.
        "counter": _money(Sum("total", filter=Q(channel=BookingChannel.COUNTER))),
        "total": _money(Sum("total")),
        "wallet": _money(Sum("wallet_amount")),
        "gateway": _money(Sum("gateway_amount")),
        "refunded": _money(Sum(_refunded_per_booking())),
    }


def money_row(row: dict) -> dict:
    """Sums to the paisa (SQLite adds decimals as floats: 1144.60000000000)."""
    return {key: rupees(value) if isinstance(value, Decimal) else value for key, value in row.items()}


def _derived(figures: dict) -> dict:
    figures = money_row(figures)
    figures["gst"] = (
        figures["total"] - figures["gross"] - figures["food"] - figures["bundles"] + figures["discount"] - figures["fee"]
    )
    figures["net"] = figures["total"] - figures["refunded"]
    return figures


def sales_rows(period: Period, group: str = "day", theater=None, movie=None) -> QuerySet:
    """One dict per day / movie / theater / show. GST and net are added to each row on read
    (``with_derived``), after pagination."""
    keys = SALES_GROUPS[group]
    return (
        get_paid_bookings(period, theater, movie)
        .order_by()
        .values(**keys)
        .annotate(**sales_figures())
        .order_by(*SALES_ORDER[group])
    )


def with_derived(rows) -> list[dict]:
    return [_derived(dict(row)) for row in rows]


def sales_totals(period: Period, theater=None, movie=None) -> dict:
    return _derived(get_paid_bookings(period, theater, movie).aggregate(**sales_figures()))


# --- occupancy -------------------------------------------------------------------------------
def seat_counts(now=None) -> dict:
    """Seat counts of a show. A hold past its ``held_until`` is free already (lazy expiry)."""
    now = now or timezone.now()
    return {
        "seats_total": Count("seats"),
        "sold": Count("seats", filter=Q(seats__state=SeatState.SOLD)),
        "held": Count("seats", filter=Q(seats__state=SeatState.HELD, seats__held_until__gt=now)),
        "blocked": Count("seats", filter=Q(seats__state=SeatState.BLOCKED)),
    }


OCCUPANCY = ExpressionWrapper(F("sold") * Value(100.0) / NullIf(F("seats_total") - F("blocked"), 0), output_field=FloatField())


def with_occupancy(shows: QuerySet, now=None) -> QuerySet:
    """One dict per show: seats total / sold / held / available and occupancy % (sold of the
    sellable seats, blocked ones left out)."""
    return (
        shows.order_by()
        .values(
            show_id=F("pk"),
            starts=F("starts_at"),
            movie_title=F("movie__title"),
            theater_title=F("screen__theater__title"),
            screen_name=F("screen__name"),
            show_status=F("status"),
        )
        .annotate(**seat_counts(now))
        .annotate(available=F("seats_total") - F("sold") - F("held") - F("blocked"), occupancy=OCCUPANCY)
        .order_by("starts", "show_id")
    )


def occupancy_rows(period: Period, theater=None, now=None) -> QuerySet:
    """Live shows starting in the period, with their occupancy."""
    shows = ShowPage.objects.filter(period.filter("starts_at"), live=True)
    if theater is not None:
        shows = shows.filter(screen__theater=theater)
    return with_occupancy(shows, now)


def occupancy_totals(period: Period, theater=None, now=None) -> dict:
    seats = ShowSeat.objects.filter(period.filter("show__starts_at"), show__live=True)
    if theater is not None:
        seats = seats.filter(show__screen__theater=theater)
    now = now or timezone.now()
    totals = seats.aggregate(
        shows=Count("show", distinct=True),
        seats_total=Count("pk"),
        sold=Count("pk", filter=Q(state=SeatState.SOLD)),
        held=Count("pk", filter=Q(state=SeatState.HELD, held_until__gt=now)),
        blocked=Count("pk", filter=Q(state=SeatState.BLOCKED)),
    )
    totals["available"] = totals["seats_total"] - totals["sold"] - totals["held"] - totals["blocked"]
    sellable = totals["seats_total"] - totals["blocked"]
    totals["occupancy"] = totals["sold"] * 100.0 / sellable if sellable else None
    return totals


# --- wallet ledger ---------------------------------------------------------------------------
LEDGER_GROUPS = {
    "kind": {"kind_code": F("kind")},
    "day": {"day": TruncDate("created_at")},
    "day_kind": {"day": TruncDate("created_at"), "kind_code": F("kind")},
}
LEDGER_ORDER = {"kind": ("kind_code",), "day": ("-day",), "day_kind": ("-day", "kind_code")}


def ledger_figures() -> dict:
    return {
        "rows": Count("pk"),
        "money_in": _money(Sum("amount", filter=Q(amount__gt=0))),
        "money_out": _money(Sum("amount", filter=Q(amount__lt=0))),
        "net": _money(Sum("amount")),
    }


def ledger_rows(period: Period, group: str = "kind") -> QuerySet:
    """Ledger rows summed per kind, per IST day, or per day and kind."""
    return (
        WalletTransaction.objects.filter(period.filter("created_at"))
        .order_by()
        .values(**LEDGER_GROUPS[group])
        .annotate(**ledger_figures())
        .order_by(*LEDGER_ORDER[group])
    )


def ledger_totals(period: Period) -> dict:
    return money_row(WalletTransaction.objects.filter(period.filter("created_at")).aggregate(**ledger_figures()))


def outstanding_balance() -> dict:
    """What the box office owes customers now: the wallets' balances, and the whole ledger's
    sum, which must be the same figure (each balance equals its ledger's sum)."""
    figures = Wallet.objects.aggregate(outstanding=_money(Sum("balance")), wallets_in_credit=Count("pk", filter=Q(balance__gt=0)))
    figures.update(WalletTransaction.objects.aggregate(ledger_sum=_money(Sum("amount"))))
    return money_row(figures)


# --- promo codes -----------------------------------------------------------------------------
def _promo_paid(period: Period) -> Q:
    return Q(bookings__state__in=PAID_STATES, bookings__confirmed_at__isnull=False) & period.filter("bookings__confirmed_at")


def _promo_refunded(period: Period):
    rows = (
        Refund.objects.filter(
            period.filter("booking__confirmed_at"),
            booking__promo=OuterRef("pk"),
            booking__state__in=RETURNED_STATES,
            status=RefundStatus.PROCESSED,
        )
        .values("booking__promo")
        .annotate(amount=Sum("amount"))
        .values("amount")
    )
    return _money(Subquery(rows, output_field=MONEY))


def promo_figures(period: Period) -> dict:
    paid = _promo_paid(period)
    return {
        "uses": Count("bookings", filter=paid),
        "discount": _money(Sum(_quoted("discount", "bookings__price_breakdown"), filter=paid)),
        "revenue": _money(Sum("bookings__total", filter=paid)),
    }


def promo_rows(period: Period, used_only: bool = False) -> QuerySet:
    """One dict per promo code: paid bookings that used it in the period, the discount they
    were given, what they paid (revenue) and what was refunded of it."""
    rows = (
        PromoCode.objects.order_by()
        .values("code", "kind", "value", "active", promo_id=F("pk"))
        .annotate(**promo_figures(period))
        .annotate(refunded=_promo_refunded(period))
        .annotate(net=F("revenue") - F("refunded"))
    )
    if used_only:
        rows = rows.filter(uses__gt=0)
    return rows.order_by("-uses", "code")


def promo_totals(period: Period) -> dict:
    """The same figures over every promo booking in the period (a code used by no one adds 0)."""
    bookings = get_paid_bookings(period).filter(promo__isnull=False)
    totals = money_row(
        bookings.aggregate(
            uses=Count("pk"),
            discount=_money(Sum(_quoted("discount"))),
            revenue=_money(Sum("total")),
            refunded=_money(Sum(_refunded_per_booking())),
        )
    )
    totals["net"] = totals["revenue"] - totals["refunded"]
    return totals


# --- counter shifts --------------------------------------------------------------------------
def shift_rows(period: Period) -> QuerySet:
    """One dict per counter shift opened in the period, newest first, with its sales count
    (complimentary ones also apart); expected cash, counted and variance are set once the shift
    is closed."""
    return (
        CounterShift.objects.filter(period.filter("opened_at"))
        .order_by()
        .values(
            "counter",
            "state",
            "opening_float",
            "expected_cash",
            "counted",
            "variance",
            "opened_at",
            "closed_at",
            shift_id=F("pk"),
            staff_name=F("staff__username"),
        )
        # comps before sales: once the "sales" aggregate is named, "sales" means it, not the relation.
        .annotate(comps=Count("sales", filter=Q(sales__method=CounterMethod.COMPLIMENTARY)), sales=Count("sales"))
        .order_by("-opened_at", "-shift_id")
    )
