"""A business invoice's recipient, as the customer gives it at checkout: a GSTIN with a valid
state code and check character, and the business name it is registered under."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from core.gstin import gstin_problem
from ticketing.errors import BookingError


class BusinessDetailsRejected(BookingError):
    """The GSTIN or business name for a business invoice is not acceptable (400)."""

    code = "business_details_rejected"


@dataclass(frozen=True)
class BusinessBuyer:
    gstin: str
    name: str


def business_buyer(gstin: str | None, name: str | None) -> BusinessBuyer | None:
    """None when neither is given; both or neither, each checked."""
    gstin, name = (gstin or "").strip().upper(), " ".join((name or "").split())
    if not gstin and not name:
        return None
    if not gstin or not name:
        raise BusinessDetailsRejected(gettext("For a business invoice give both the GSTIN and the business name."))
    problem = gstin_problem(gstin)
    if problem:
        raise BusinessDetailsRejected(problem)
    if len(name) > 200:
        raise BusinessDetailsRejected(gettext("The business name is too long (at most 200 characters)."))
    return BusinessBuyer(gstin=gstin, name=name)
