"""The box office counter in a real browser: a Box office member opens a shift, picks tonight's
show, chooses two seats on the seat map (with the keyboard), sells them for cash with change
due, prints the ticket slip, the door admits one of its tickets, and the shift closes with its
variance on the Z-report. Screenshots: artifacts/e2e/5-counter--*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from django.contrib.auth.models import Group  # noqa: E402
from django.utils import timezone  # noqa: E402

from home.roles import BOX_OFFICE  # noqa: E402
from tests.e2e.conftest import signed_in_page  # noqa: E402
from tests.factories import make_movie, make_show, make_user  # noqa: E402
from ticketing.models import BookingChannel, CounterShift, Ticket  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def seller():
    user = make_user(username="bhavna", first_name="Bhavna", is_staff=True)
    user.groups.add(Group.objects.get(name=BOX_OFFICE))
    return user


@pytest.fixture
def tonight():
    """A show later today (IST), so it is on the counter's list whenever the test runs."""
    now = timezone.localtime()
    end_of_day = now.replace(hour=23, minute=59, second=0, microsecond=0)
    starts = min(now + timedelta(hours=2), end_of_day).replace(second=0, microsecond=0)
    if starts <= now + timedelta(minutes=5):  # just before midnight: tomorrow's shows are not listed
        pytest.skip("too close to midnight IST for a show later today")
    return make_show(movie=make_movie(title="Dune", slug="dune"), starts_at=starts)


def test_counter_journey(live_server, browser, seller, tonight, shots):
    shots = shots("5-counter")
    page = signed_in_page(browser, live_server, seller)
    page.goto(live_server.url + "/admin/counter/")
    page.get_by_label("Counter").fill("Counter 1")
    page.get_by_label("Opening float (₹)").fill("2000.00")
    shots(page, "open-shift")
    page.get_by_role("button", name="Open shift").click()
    expect(page.get_by_text("Shift open at Counter 1")).to_be_visible()
    page.goto(live_server.url + f"/admin/counter/?theater={tonight.screen.theater_id}")
    shots(page, "todays-shows")
    page.locator(".counter__show").first.click()

    # The seat map: Tab into it, move with the arrow keys, Space chooses.
    first = page.locator('.seat[data-label="A1"]')
    expect(first).to_have_attribute("aria-pressed", "false")
    first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expect(page.locator("input[name=seats]")).to_have_value("A1 A2")
    expect(page.locator('.seat[data-label="A2"]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-counter-total]")).to_contain_text("Total ₹542.80")  # the server's quote, swapped in
    page.get_by_label("Cash tendered (₹)").fill("1000")
    expect(page.locator("[data-counter-total]")).to_contain_text("Change due ₹457.20")
    shots(page, "seats-chosen")
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet at the counter
    expect(page.get_by_role("button", name="Sell")).to_be_visible()
    shots(page, "tablet")
    page.get_by_role("button", name="Sell").click()

    expect(page.locator(".counter__change")).to_contain_text("₹457.20")
    shots(page, "change-due")
    page.get_by_role("link", name="Print tickets").click()
    expect(page.locator(".slip")).to_have_count(2)
    shots(page, "ticket-slip")

    sale = CounterShift.objects.get(staff=seller).sales.get()
    assert sale.booking.channel == BookingChannel.COUNTER
    ticket = Ticket.objects.filter(booking=sale.booking).order_by("seat_label").first()
    page.goto(live_server.url + "/admin/checkin/")
    page.get_by_label("Ticket code").fill(ticket.code)
    page.get_by_label("Ticket code").press("Enter")
    expect(page.locator("[data-checkin-result]")).to_contain_text("Admit")
    shots(page, "door-admits")

    page.goto(live_server.url + "/admin/counter/")
    page.get_by_label("Cash counted in the drawer (₹)").fill("2540.00")
    page.get_by_role("button", name="Close shift and print the Z-report").click()
    expect(page.get_by_text("Variance")).to_be_visible()
    expect(page.locator("main")).to_contain_text("−₹2.80")
    shots(page, "z-report")
    assert page.js_errors == []
    page.context.close()
