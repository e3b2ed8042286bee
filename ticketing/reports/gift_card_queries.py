"""Gift cards for finance: each card issued in a period, and what was issued, redeemed and
refunded in it beside what is outstanding now (the value customers may still redeem: a
liability, not revenue). Read-only; one query per figure."""

from __future__ import annotations

from django.db.models import Count, F, QuerySet, Sum

from core.money import ZERO, rupees
from ticketing.models import GiftCard, GiftCardState
from ticketing.reports.queries import Period


def gift_card_rows(period: Period, state: str | None = None) -> QuerySet:
    cards = GiftCard.objects.filter(period.filter("issued_at"), issued_at__isnull=False)
    if state:
        cards = cards.filter(state=state)
    return cards.values(
        "amount",
        "recipient_email",
        "recipient_phone",
        "redeemed_at",
        "refunded_at",
        reference=F("booking__reference"),
        issued=F("issued_at"),
        buyer=F("booking__user__email"),
        state_code=F("state"),
        redeemed_by_email=F("redeemed_by__email"),
        code_ends=F("code_last4"),
    ).order_by("-issued_at", "-pk")


def _count_and_sum(cards) -> tuple[int, object]:
    figures = cards.aggregate(n=Count("pk"), amount=Sum("amount"))
    return figures["n"], rupees(figures["amount"] or ZERO)


def gift_card_totals(period: Period) -> dict:
    issued = _count_and_sum(GiftCard.objects.filter(period.filter("issued_at"), issued_at__isnull=False))
    redeemed = _count_and_sum(GiftCard.objects.filter(period.filter("redeemed_at"), state=GiftCardState.REDEEMED))
    refunded = _count_and_sum(GiftCard.objects.filter(period.filter("refunded_at"), state=GiftCardState.REFUNDED))
    outstanding = _count_and_sum(GiftCard.objects.filter(state=GiftCardState.ISSUED))
    return {"issued": issued, "redeemed": redeemed, "refunded": refunded, "outstanding": outstanding}
