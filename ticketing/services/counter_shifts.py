"""Counter shifts: open with a float, running totals, cash-up at close (docs/DESIGN.md §3).

Expected cash = float + cash sales − cash refunds; variance = counted − expected. Complimentary
sales take no money: they are counted apart (sales and tickets, with their face value), never in
a method's takings or the cash. Sales and
voids lock the shift row, so a close (which locks it too) sees every sale of its shift, and a
closed shift never changes again: its figures are frozen in ``summary`` for the Z-report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from wagtail.log_actions import log as audit_log

from cinema.models import ShowPage
from core.formatting import showdatetime
from core.money import ZERO, rupees
from ticketing.errors import NotFound, ShiftConflict
from ticketing.models import (
    PAID_METHODS,
    CounterMethod,
    CounterSale,
    CounterShift,
    Refund,
    RefundDestination,
    ShiftState,
    Ticket,
)
from ticketing.permissions import SUPERVISE_COUNTER
from ticketing.services import counter_input


@dataclass
class ShiftTotals:
    """A shift's takings: per method, refunds per method, per show, and the cash drawer."""

    opening_float: Decimal
    takings: dict[str, Decimal]
    refunded: dict[str, Decimal]
    sales: int
    refunds: int
    by_show: list[dict] = field(default_factory=list)
    comps: dict = field(default_factory=lambda: {"sales": 0, "tickets": 0})

    @property
    def expected_cash(self) -> Decimal:
        return rupees(self.opening_float + self.takings[CounterMethod.CASH] - self.refunded[CounterMethod.CASH])

    def as_api(self) -> dict:
        """Amounts as strings ("1234.00"), as everywhere in the API."""
        return {
            "expected_cash": str(self.expected_cash),
            "totals": {name: str(value) for name, value in self.takings.items()},
            "refunded": {name: str(value) for name, value in self.refunded.items()},
            "sales": self.sales,
            "refunds": self.refunds,
            "by_show": self.by_show,
            "complimentary": self.comps,
        }


def shift_totals(shift: CounterShift) -> ShiftTotals:
    """What the shift has taken so far (four grouped reads); a closed shift's frozen figures
    are in ``shift.summary``."""
    takings = {name: ZERO for name in PAID_METHODS}
    refunded = {name: ZERO for name in PAID_METHODS}
    sales = CounterSale.objects.filter(shift=shift)
    count = 0
    comps = {"sales": 0, "tickets": 0}
    for row in sales.values("method").annotate(n=Count("pk"), amount=Sum("total")):
        count += row["n"]
        if row["method"] == CounterMethod.COMPLIMENTARY:
            comps["sales"] = row["n"]
        else:
            takings[row["method"]] = rupees(row["amount"])
    if comps["sales"]:
        given = Ticket.objects.filter(
            booking__counter_sale__shift=shift,
            booking__counter_sale__method=CounterMethod.COMPLIMENTARY,
            booking__counter_sale__voided_at__isnull=True,
        )
        comps["tickets"] = given.count()
    refunds = Refund.objects.filter(booking__counter_sale__shift=shift, destination=RefundDestination.COUNTER)
    refund_count = 0
    for row in refunds.values("booking__counter_sale__method").annotate(n=Count("pk"), amount=Sum("amount")):
        refunded[row["booking__counter_sale__method"]] = rupees(row["amount"])
        refund_count += row["n"]
    return ShiftTotals(
        opening_float=shift.opening_float,
        takings=takings,
        refunded=refunded,
        sales=count,
        refunds=refund_count,
        by_show=_by_show(sales),
        comps=comps,
    )


def _by_show(sales) -> list[dict]:
    rows = list(sales.values("booking__show_id").annotate(n=Count("pk"), amount=Sum("total")).order_by("booking__show_id"))
    shows = ShowPage.objects.select_related("movie", "screen").in_bulk([row["booking__show_id"] for row in rows])
    out = []
    for row in rows:
        show = shows.get(row["booking__show_id"])
        name = f"{show.movie.title if show.movie_id else show.title} · {showdatetime(show.starts_at)}" if show else "—"
        out.append({"show": row["booking__show_id"], "name": name, "sales": row["n"], "amount": str(rupees(row["amount"]))})
    return out


def counter_name_for(theater_title: str, number: int = 1) -> str:
    """The counter name suggested at a theater ("Marquee Andheri · Counter 1"), so shifts read
    the same in the reports; any name is accepted."""
    return f"{theater_title} · Counter {number}"[: counter_input.MAX_COUNTER_NAME]


@transaction.atomic
def open_shift(by, counter: str, opening_float) -> CounterShift:
    """Open ``by``'s shift at this counter. One open shift per staff member: a second (even two
    clicks at the same instant) is refused (409)."""
    name = counter_input.counter_name(counter)
    cash = counter_input.amount(opening_float, "float")
    if CounterShift.objects.filter(staff=by, state=ShiftState.OPEN).exists():
        raise ShiftConflict("You already have an open shift. Close it before opening another.")
    try:
        with transaction.atomic():
            shift = CounterShift.objects.create(staff=by, counter=name, opening_float=cash)
    except IntegrityError:  # the partial unique index: a simultaneous open won
        raise ShiftConflict("You already have an open shift. Close it before opening another.") from None
    audit_log(instance=shift, action="counter.open_shift", user=by, data={"counter": name, "float": str(cash)})
    return shift


def current_shift(by) -> CounterShift | None:
    return CounterShift.objects.filter(staff=by, state=ShiftState.OPEN).first()


def visible_shift(by, shift_id) -> CounterShift:
    """A shift ``by`` may see: their own, or any for a supervisor; others are not found (404)."""
    shift = None
    if isinstance(shift_id, int) and 0 < shift_id < 2**31:
        shift = CounterShift.objects.select_related("staff").filter(pk=shift_id).first()
    if shift is None or (shift.staff_id != by.pk and not by.has_perm(SUPERVISE_COUNTER)):
        raise NotFound("No such shift.")
    return shift


@transaction.atomic
def close_shift(by, shift_id, counted) -> tuple[CounterShift, ShiftTotals]:
    """Cash-up: record the counted cash, freeze the totals, and close. A closed shift is
    read-only (409)."""
    cash = counter_input.amount(counted, "counted cash")
    shift = CounterShift.objects.select_for_update().get(pk=visible_shift(by, shift_id).pk)
    if shift.state != ShiftState.OPEN:
        raise ShiftConflict(f"This shift was closed at {showdatetime(shift.closed_at)}; a closed shift cannot change.")
    totals = shift_totals(shift)
    shift.state = ShiftState.CLOSED
    shift.closed_at = timezone.now()
    shift.counted = cash
    shift.expected_cash = totals.expected_cash
    shift.variance = rupees(cash - totals.expected_cash)
    shift.summary = totals.as_api()
    shift.save(update_fields=["state", "closed_at", "counted", "expected_cash", "variance", "summary"])
    audit_log(
        instance=shift,
        action="counter.close_shift",
        user=by,
        data={"counted": str(cash), "expected_cash": str(shift.expected_cash), "variance": str(shift.variance)},
    )
    return shift, totals


def locked_open_shift(by) -> CounterShift | None:
    """``by``'s open shift, row-locked for a sale or a void (inside the caller's transaction)."""
    return CounterShift.objects.select_for_update().filter(staff=by, state=ShiftState.OPEN).first()
