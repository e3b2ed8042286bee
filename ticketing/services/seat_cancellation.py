"""Cancelling some seats of a confirmed booking: the rest stay valid.

Under the booking's row lock: the cancelled seats' tickets are voided by one conditional UPDATE
on ``used_at IS NULL AND voided_at IS NULL`` (the check-in's UPDATE has the same condition the
other way round, so a seat admitted a moment ago makes the whole cancellation refuse, and a
seat voided a moment ago is refused at the door); the seats go back on sale; the booking keeps
the other seats and its food; the refund goes out for the part only (its value from
cancel_policy) with a credit note for it; the tickets PDF is dropped so the next download
re-issues it with the remaining tickets (their codes unchanged); the customer is e-mailed which
seats went, what came back and which seats still admit.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log as audit_log

from core.versions import bump_seats
from ticketing.errors import SeatAdmitted
from ticketing.mail.notifications import notify
from ticketing.models import Booking, SeatState, ShowSeat, Ticket
from ticketing.services.cancel_policy import CancelQuote
from ticketing.services.credit_notes import credit_refunds
from ticketing.services.refunds import pay_back
from ticketing.services.wallet_part import wallet_taken

log = logging.getLogger("marquee.payments")
SEAT_KINDS = ("admission", "fee")  # the invoice lines a seat's refund reverses; food stays
KEY_SEATS = 60  # characters of the seat labels in the e-mail's sent-log key (120 in all)


@transaction.atomic
def cancel_seats(booking: Booking, offer: CancelQuote, *, reason: str, by=None) -> Booking:
    """Carry out ``offer`` (a quote worked out under this booking's lock, for some of its seats)."""
    now = timezone.now()
    voided = Ticket.objects.filter(
        booking=booking, seat_label__in=offer.seats, used_at__isnull=True, voided_at__isnull=True
    ).update(voided_at=now)
    if voided != len(offer.seats):  # admitted at the door since the quote: nothing changes
        admitted = Ticket.objects.filter(booking=booking, seat_label__in=offer.seats, used_at__isnull=False)
        raise SeatAdmitted(sorted(admitted.values_list("seat_label", flat=True)) or list(offer.seats))
    ShowSeat.objects.filter(show_id=booking.show_id, booking=booking, label__in=offer.seats, state=SeatState.SOLD).update(
        state=SeatState.AVAILABLE, booking=None
    )
    bump_seats(booking.show_id)
    earlier = booking.refunds.order_by("-pk").values_list("pk", flat=True).first() or 0
    refunded = pay_back(booking, offer.refund, offer.destination, reason=reason, by=by, wallet_part=wallet_taken(booking))
    credit_refunds(booking, since=now, kinds=SEAT_KINDS)
    refunds = list(booking.refunds.filter(pk__gt=earlier).order_by("pk").values_list("pk", flat=True))
    booking.seats = list(offer.remaining)
    booking.cancelled_value = booking.cancelled_value + offer.value
    booking.tickets_pdf = ""  # re-rendered with the remaining tickets on the next download
    booking.save(update_fields=["seats", "cancelled_value", "tickets_pdf", "updated_at"])
    # A seat is cancelled once (its ticket is voided once), so its first label names this
    # cancellation; the key keeps the labels up to a length the sent-log's key column holds.
    once_per = "-".join(offer.seats)[:KEY_SEATS]
    notify(booking, "seats_cancelled", once_per=once_per, context={"seats": list(offer.seats), "refunds": refunds})
    audit_log(
        instance=booking,
        action="booking.cancel_seats",
        user=by,
        data={"seats": list(offer.seats), "destination": offer.destination, "refund": str(refunded), "fee": str(offer.fee)},
    )
    log.info(
        "seats %s cancelled, %s refunded to %s", offer.seats, refunded, offer.destination, extra={"booking": booking.reference}
    )
    return booking
