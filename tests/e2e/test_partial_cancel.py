"""Cancelling one of two seats in a real browser, with screenshots: the booking page offers the
seats and the destinations the tiers allow; the customer unticks A1, reads the exact refund for
A2 (the API preview: the seat's value less the tier's 5 % wallet fee) before confirming;
afterwards the page shows A1 still valid, A2 cancelled, and the money in the wallet.

Screenshots: ``artifacts/e2e/partial-cancel--<nn>-<step>.png``."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402

from home.templatetags.marquee import inr  # noqa: E402
from tests.e2e.conftest import signed_in_page  # noqa: E402
from tests.fixtures.checkout import set_tiers  # noqa: E402
from ticketing.models import Booking, SeatState, ShowSeat, Ticket  # noqa: E402
from ticketing.services.cancel_policy import cancellation_quote  # noqa: E402
from ticketing.services.checkout import start_checkout  # noqa: E402
from ticketing.services.holds import hold_seats  # noqa: E402
from wallet import services as wallet  # noqa: E402
from wallet.models import Wallet  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_customer_cancels_one_of_two_seats_after_seeing_the_refund(live_server, browser, show, customer, shots):
    shots = shots("partial-cancel")
    set_tiers(
        ("wallet", 0, 2, False, 0), ("wallet", 2, None, True, 5), ("source", 0, 24, False, 0), ("source", 24, None, True, 10)
    )
    wallet.credit(customer, Decimal("1000"), reason="Test")
    booking = start_checkout(hold_seats(customer, show, ["A1", "A2"]).booking, use_wallet=True).booking
    assert booking.state == "confirmed"
    expected = cancellation_quote(booking, ["A2"], "wallet")
    assert expected.fee == Decimal("13.57")  # 5 % of ₹271.40

    page = signed_in_page(browser, live_server, customer)
    page.goto(f"{live_server.url}/bookings/{booking.reference}/")
    form = page.locator("[data-cancel-form]")
    expect(form).to_be_visible()
    summary = form.locator("[data-cancel-summary]")
    expect(summary).to_contain_text(f"Cancelling the whole booking refunds {inr(booking.total - Decimal('27.14'))}")
    shots(page, "booking-with-cancel-form")

    form.get_by_label("A1").uncheck()
    expect(summary).to_have_text(
        f"Cancelling A2 refunds {inr(expected.refund)} ({inr(expected.value)} less a 5% fee of {inr(expected.fee)}) to your Marquee wallet."
    )
    button = form.locator("[data-cancel]")
    expect(button).to_have_text(f"Cancel A2 and refund {inr(expected.refund)}")
    before = Wallet.objects.get(user=customer).balance
    shots(page, "refund-shown-before-confirming")

    button.click()
    expect(page.locator("[data-cancelled-seats]")).to_contain_text("Cancelled: A2")
    tickets = page.get_by_role("list", name="Tickets")
    # the seats themselves: a random ticket code may well contain "A2"
    expect(tickets.locator(".seat-chip")).to_have_text(["A1"])
    expect(page.locator(".banner--open").first).to_contain_text("confirmed")
    expect(page.locator(".refunds")).to_contain_text(inr(expected.refund))
    shots(page, "rest-of-the-booking-valid")

    booking = Booking.objects.get(pk=booking.pk)
    assert booking.state == "confirmed" and booking.seats == ["A1"]
    assert Wallet.objects.get(user=customer).balance == before + expected.refund
    assert ShowSeat.objects.get(show=show, label="A2").state == SeatState.AVAILABLE
    assert Ticket.objects.get(booking=booking, seat_label="A2").voided_at is not None
    assert page.js_errors == []
