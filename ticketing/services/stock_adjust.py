"""Staff changes to a theater's food stock, as adjustments: "received 50", "wasted 3", or a
counted total. Checkouts take stock with their own conditional UPDATE at any moment, so staff
never write an absolute count over them: every change is a delta applied under the stock row's
lock, a counted total is applied as the difference from the count the form was loaded with
(refused when a sale or another change moved it meanwhile), and nothing goes below zero.
Each change lands in the audit log with the count before and after."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log as audit_log

from ticketing.errors import StockChangeRefused
from ticketing.models import ConcessionStock

ADJUST_ACTION = "food_stock.adjust"
MAX_CHANGE = 100_000  # of one item in one change: more is a typing slip


class StockChange:
    RECEIVED = "received"
    WASTED = "wasted"
    COUNTED = "counted"

    CHOICES = [
        (RECEIVED, "Received (add to the count)"),
        (WASTED, "Wasted or damaged (take off the count)"),
        (COUNTED, "Counted (set the count to what is on the shelf)"),
    ]
    VERBS = {RECEIVED: "Received", WASTED: "Wrote off", COUNTED: "Counted"}


@dataclass
class Adjusted:
    stock: ConcessionStock
    before: int
    after: int


@transaction.atomic
def adjust_stock(stock_id: int, kind: str, amount: int, *, loaded: int | None = None, by=None, note: str = "") -> Adjusted:
    """Apply one staff change to a stock count. ``loaded``: the count the form showed (needed
    for a counted total). Refusals change nothing and say why."""
    if kind not in StockChange.VERBS:
        raise StockChangeRefused("Choose what happened: received, wasted or counted.")
    if amount is None or amount < 0 or amount > MAX_CHANGE or (kind != StockChange.COUNTED and amount == 0):
        raise StockChangeRefused(f"Enter a number from {0 if kind == StockChange.COUNTED else 1} to {MAX_CHANGE:,}.")
    stock = ConcessionStock.objects.select_for_update().select_related("item", "theater").get(pk=stock_id)
    before = stock.quantity
    if kind == StockChange.RECEIVED:
        delta = amount
    elif kind == StockChange.WASTED:
        if amount > before:
            raise StockChangeRefused(f"Only {before} left: you cannot write off {amount}.")
        delta = -amount
    else:
        if loaded is None or loaded != before:
            raise StockChangeRefused(
                f"The count changed from {loaded} to {before} since you opened this form (a sale or another "
                "change). Count again and enter the new total, or enter what was received or wasted."
            )
        delta = amount - loaded
    # The lock makes this the only writer now; the condition keeps the count ≥ 0 regardless.
    changed = ConcessionStock.objects.filter(pk=stock.pk, quantity__gte=max(0, -delta)).update(
        quantity=F("quantity") + delta, updated_at=timezone.now()
    )
    if not changed:  # cannot happen under the lock; refuse rather than guess
        raise StockChangeRefused("The count changed meanwhile. Reload and try again.")
    stock.refresh_from_db(fields=["quantity", "updated_at"])
    data = {"change": kind, "amount": amount, "before": before, "after": stock.quantity, "note": note[:200]}
    audit_log(instance=stock, action=ADJUST_ACTION, user=by, data=data)
    return Adjusted(stock=stock, before=before, after=stock.quantity)


def describe(data: dict) -> str:
    """An audit-log entry in words, e.g. "Received 50 (12 → 62): Tuesday delivery"."""
    verb = StockChange.VERBS.get(data.get("change"), "Changed")
    if data.get("change") == StockChange.COUNTED:
        text = f"Counted {data.get('after')} on the shelf (was {data.get('before')})"
    else:
        text = f"{verb} {data.get('amount')} ({data.get('before')} → {data.get('after')})"
    return f"{text}: {data['note']}" if data.get("note") else text
