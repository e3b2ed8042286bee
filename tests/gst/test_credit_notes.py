"""Credit notes: each refund of an invoiced booking reverses its part, in its own series."""

from decimal import Decimal

import pytest

from tests.tickets.conftest import confirm
from ticketing.models import CreditNote
from ticketing.services.cancellation import cancel_booking, cancel_show

pytestmark = pytest.mark.django_db


def test_full_refund_reverses_the_whole_invoice(paid, superuser):
    cancel_booking(paid, destination="wallet", reason="Projector broke", by=superuser)
    note = CreditNote.objects.get(invoice=paid.invoice)
    assert note.number == "CNMH/26-27/00001"
    assert note.total == paid.invoice.total
    assert note.lines == paid.invoice.lines
    assert (note.taxable_value, note.cgst, note.sgst) == (paid.invoice.taxable_value, paid.invoice.cgst, paid.invoice.sgst)
    assert note.reason == "Projector broke"


def test_partial_refund_reverses_its_part(paid):
    cancel_booking(paid, destination="wallet", reason="Cancelled by the customer", fee_percent=Decimal("10"))
    note = CreditNote.objects.get(invoice=paid.invoice)
    assert note.total == note.refund.amount == Decimal("732.78")  # 814.20 less 10%
    assert note.taxable_value + note.cgst + note.sgst == note.total
    for line in note.lines:
        assert Decimal(line["cgst"]) + Decimal(line["sgst"]) == Decimal(line["tax"])
        assert Decimal(line["tax"]) == (Decimal(line["taxable_value"]) * Decimal(line["rate"]) / 100).quantize(Decimal("0.01"))
    assert note.total < paid.invoice.total


def test_show_cancelled_issues_credit_notes(paid):
    cancel_show(paid.show, destination="wallet", reason="Show cancelled")
    assert CreditNote.objects.filter(invoice=paid.invoice).count() == 1


def test_uninvoiced_booking_gets_no_credit_note(as_alice, alice, show):
    booking = confirm(as_alice, alice, show, ["A1"])
    cancel_booking(booking, destination="wallet", reason="x")
    assert not CreditNote.objects.exists()


def test_a_partial_cancellation_credits_its_seat_only(paid):
    from ticketing.services.cancellation import cancel_by_customer  # noqa: PLC0415

    cancel_by_customer(paid, ["A3"], "wallet")
    note = CreditNote.objects.get(invoice=paid.invoice)
    assert note.total == note.refund.amount == Decimal("271.40")  # one of three equal seats
    cancel_by_customer(paid.__class__.objects.get(pk=paid.pk), None, "wallet")
    notes = CreditNote.objects.filter(invoice=paid.invoice)
    assert notes.count() == 2
    assert sum((n.total for n in notes), Decimal("0")) == paid.invoice.total


def test_a_seat_cancelled_on_its_own_leaves_the_food_on_the_invoice(entity, as_alice, alice, show):
    from tests.factories import make_concession  # noqa: PLC0415
    from tests.fixtures.checkout import fund, pay  # noqa: PLC0415
    from ticketing.models import Booking  # noqa: PLC0415
    from ticketing.services.booking_items import set_items  # noqa: PLC0415
    from ticketing.services.cancellation import cancel_by_customer  # noqa: PLC0415
    from ticketing.services.holds import hold_seats  # noqa: PLC0415

    make_concession()  # large popcorn, ₹300 + 5 % GST
    held = hold_seats(alice, show, ["A1", "A2"]).booking
    set_items(held, [("POP-L", 1)])
    fund(alice, 3000)
    assert pay(as_alice, held, use_wallet=True).json()["state"] == "confirmed"
    booking = Booking.objects.get(pk=held.pk)
    cancel_by_customer(booking, ["A2"], "wallet")
    note = CreditNote.objects.get(invoice=booking.invoice)
    assert note.total == Decimal("271.40")  # the seat, its fee and their GST; the popcorn stays
    assert all(Decimal(line["taxable_value"]) == 0 for line in note.lines if line["kind"] == "food")
    cancel_by_customer(Booking.objects.get(pk=held.pk), None, "wallet")
    notes = CreditNote.objects.filter(invoice=booking.invoice)
    assert sum((n.total for n in notes), Decimal("0")) == booking.invoice.total
    for index, line in enumerate(booking.invoice.lines):  # every line reversed exactly, once in all
        assert sum((Decimal(n.lines[index]["taxable_value"]) for n in notes), Decimal("0")) == Decimal(line["taxable_value"])
