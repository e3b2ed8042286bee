"""POST /api/checkin: the door scanner's endpoint (the admin's check-in page calls it).

Staff only: session auth with CSRF like the rest of the API, then the
`ticketing.check_in_ticket` permission (403 without it, before the body is even read).
The rules live in ticketing.services.checkin; this module only translates.
"""

from __future__ import annotations

from typing import Literal

from django.utils import timezone
from ninja import Field, Router
from ninja.errors import HttpError
from ninja.security import SessionAuth
from pydantic import ConfigDict

from ticketing.api.contract import refusals
from ticketing.api.schemas import Schema
from ticketing.permissions import CHECK_IN
from ticketing.services.checkin import check_in, ticket_details


class StaffWithCheckIn(SessionAuth):
    """Signed in (401 otherwise), CSRF-checked for unsafe methods, and allowed to admit."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and not user.has_perm(CHECK_IN):
            raise HttpError(403, "You do not have permission to check tickets in.")
        return user


class CheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        ..., min_length=1, max_length=200, description="The ticket code as scanned or typed; spaces and dashes are ignored."
    )
    show: int | None = Field(None, ge=1, description="The show at this door: a ticket for another show is refused.")


class TicketOut(Schema):
    code: str
    seat: str
    category: str
    booking: str = Field(..., description="The booking reference.")
    customer: str = Field(..., description="First name, or the e-mail address masked.")
    show: int
    movie: str
    certification: str = Field(
        ..., description="The film's certificate (U, UA, UA7+, UA13+, UA16+, A, S): an A film admits adults only."
    )
    starts_at: str = Field(..., description="Show start, ISO 8601 in IST.")
    theater: str
    screen: str


class CheckInOut(Schema):
    result: Literal["admitted", "already_used", "wrong_show", "cancelled", "invalid"]
    message: str = Field(..., description="What to tell the door, e.g. “Already used at 6:02 pm”.")
    ticket: TicketOut | None = Field(..., description="Null when the code is unknown.")
    used_at: str | None = Field(..., description="When the ticket was admitted (ISO 8601, IST), if it was.")


router = Router(tags=["check-in"])


@router.post(
    "/checkin",
    auth=StaffWithCheckIn(),
    response={200: CheckInOut, **refusals(400, 401, 403, 422, 429)},
    summary="Admit a ticket at the door",
    openapi_extra={"x-required-permission": CHECK_IN},
)
def checkin(request, payload: CheckInIn):
    """Staff with the `ticketing.check_in_ticket` permission only (403 otherwise). Admits once:
    a second scan says `already_used` with the first time. More than
    MARQUEE_CHECKIN_INVALID_RATE unknown codes a minute → 429."""
    outcome = check_in(payload.code, by=request.user, show_id=payload.show)
    return checkin_out(outcome)


def checkin_out(outcome) -> dict:
    return {
        "result": outcome.result,
        "message": outcome.message,
        "ticket": ticket_details(outcome.ticket) if outcome.ticket else None,
        "used_at": timezone.localtime(outcome.used_at).isoformat() if outcome.used_at else None,
    }
