"""Tax-free films: a state's waiver halves admission GST to CGST only for that film's shows in
that state and period; the invoice says so."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cinema.models import TaxWaiver
from tests.tickets.conftest import confirm
from ticketing.services.invoice_pdf import render_html

pytestmark = pytest.mark.django_db


def waive(movie, state="27", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30)):
    return TaxWaiver.objects.create(movie=movie, state_code=state, starts_on=starts_on, ends_on=ends_on)


def test_waived_show_charges_cgst_only(entity, movie, show, as_alice, alice):
    waive(movie)
    booking = confirm(as_alice, alice, show, ["A1", "A2"])
    admission, fee = booking.invoice.lines
    assert (admission["rate"], admission["tax"], admission["cgst"], admission["sgst"]) == ("9.00", "36.00", "36.00", "0.00")
    assert admission["state_waived"] is True
    assert fee["sgst"] == "5.40"  # the convenience fee is not the film's admission: no waiver
    assert booking.total == Decimal("400.00") + 36 + 60 + Decimal("10.80")
    assert "tax-free" in booking.invoice.note
    assert "CGST only" in render_html(booking.invoice)


@pytest.mark.parametrize(
    "waiver",
    [
        {"state": "29"},  # another state
        {"starts_on": date(2026, 12, 1), "ends_on": date(2026, 12, 31)},  # another period
    ],
)
def test_waiver_elsewhere_or_another_time_changes_nothing(entity, movie, show, as_alice, alice, waiver):
    waive(movie, **waiver)
    booking = confirm(as_alice, alice, show, ["A1", "A2"])
    assert booking.invoice.lines[0]["sgst"] == "36.00"
    assert booking.invoice.note == ""


def test_waiver_cannot_end_before_it_starts(movie):
    waiver = TaxWaiver(movie=movie, state_code="27", starts_on=date(2026, 11, 30), ends_on=date(2026, 11, 1))
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        waiver.full_clean()
