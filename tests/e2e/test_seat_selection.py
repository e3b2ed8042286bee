"""A customer picks seats in a real browser (Playwright driving the system Chromium).

Journey: open a show page, choose two seats with the mouse and one with the keyboard, hold them,
see the server's quote and a countdown from the server's held_until, go on to the booking page.
Then: a seat taken by someone else meanwhile (on refresh and on a 409), and a hold running out.

The browser, the live server on the real clock and the shared helpers are in conftest.py.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402

from home.templatetags.marquee import inr  # noqa: E402
from tests.e2e.conftest import TIMEOUT_MS, make_customer, new_page, open_show, seat, signed_in_page  # noqa: E402
from ticketing.models import Booking, BookingState  # noqa: E402
from ticketing.services.holds import hold_seats  # noqa: E402
from ticketing.services.pricing import quote  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_customer_selects_seats_by_mouse_and_keyboard_holds_them_and_continues(live_server, show, customer, browser):
    page = signed_in_page(browser, live_server, customer)
    open_show(page, live_server, show)
    # The page is the same for everyone: session.js paints who is signed in.
    header = page.locator(".site-account")
    expect(header.get_by_role("link", name="Your account")).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("[data-signin]")).to_be_hidden()

    seat(page, "B4").click()
    seat(page, "B5").click()
    # Keyboard: from B5, up a row to A5 and on to A6, then Space picks it.
    seat(page, "B5").focus()
    page.keyboard.press("ArrowUp")
    expect(seat(page, "A5")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(seat(page, "A6")).to_be_focused()
    expect(seat(page, "A6")).to_have_attribute("tabindex", "0")  # roving tabindex
    page.keyboard.press("Space")
    for label in ("B4", "B5", "A6"):
        expect(seat(page, label)).to_have_attribute("aria-pressed", "true")
    expect(seat(page, "A5")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-count]")).to_have_text("3 of 10 seats selected: B4, B5, A6.")
    # Category prices in the summary are the server's, formatted the Indian way.
    prime = inr(show.price_map()["Prime"])
    expect(page.locator(".picker__seat").first).to_contain_text(prime)

    # Enter toggles too: A6 off and on again.
    page.keyboard.press("Enter")
    expect(seat(page, "A6")).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("Enter")
    expect(seat(page, "A6")).to_have_attribute("aria-pressed", "true")

    page.locator("[data-hold-button]").click()
    expect(page.locator("[data-hold]")).to_be_visible()
    booking = Booking.objects.get(user=customer, show=show, state=BookingState.HELD)
    assert sorted(booking.seats) == ["A6", "B4", "B5"]
    expected = quote(booking)
    expect(page.locator("[data-hold] [data-quote-total]")).to_have_text(inr(expected.total))
    for tax in expected.taxes:
        expect(page.locator("[data-hold] .quote")).to_contain_text(tax.name)
        expect(page.locator("[data-hold] .quote")).to_contain_text(inr(tax.amount))
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))
    expect(seat(page, "B4")).to_have_attribute("aria-pressed", "true")

    page.locator("[data-continue]").click()
    page.wait_for_url(f"**/bookings/{booking.reference}/")
    expect(page.locator("h1")).to_contain_text("Dune")
    expect(page.locator("[data-quote-total]")).to_have_text(inr(expected.total))
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))
    # Pay in the offline sandbox: its page posts back the signed fields, the booking is confirmed.
    page.get_by_role("button", name="Proceed to pay").click()
    page.wait_for_url("**/payments/sandbox/**")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()
    page.wait_for_url(f"**/bookings/{booking.reference}/")
    expect(page.locator(".banner--open")).to_contain_text("confirmed")
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED
    assert page.js_errors == []
    page.context.close()


def test_countdown_follows_the_server_clock_not_a_wrong_browser_clock(live_server, show, customer, browser):
    page = signed_in_page(browser, live_server, customer)
    page.clock.install(time=datetime.now() - timedelta(hours=3))  # the customer's clock is 3 hours slow
    open_show(page, live_server, show)
    seat(page, "A1").click()
    page.locator("[data-hold-button]").click()
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))
    page.context.close()


def test_seats_taken_meanwhile_are_dropped_with_a_message(live_server, show, customer, browser):
    rival = make_customer("ravi")
    page = signed_in_page(browser, live_server, customer)
    open_show(page, live_server, show)

    # Taken while selected: the next refresh (every ~5 s) drops it and says so.
    seat(page, "A3").click()
    seat(page, "A4").click()
    hold_seats(rival, show, ["A3"])
    expect(page.locator("[data-alert]")).to_contain_text("Sorry, A3 was just taken", timeout=TIMEOUT_MS)
    expect(seat(page, "A3")).to_have_attribute("aria-pressed", "false")
    expect(seat(page, "A3")).to_have_attribute("aria-disabled", "true")
    expect(page.locator("[data-count]")).to_have_text("1 of 10 seats selected: A4.")

    # Taken between the last refresh and "Hold seats": the 409 names it, nothing is held.
    page.route("**/api/shows/*/seats", lambda route: route.abort())  # no refresh gets there first
    seat(page, "A5").click()
    hold_seats(rival, show, ["A3", "A5"])
    page.locator("[data-hold-button]").click()
    expect(page.locator("[data-alert]")).to_contain_text("Sorry, A5 was just taken")
    expect(seat(page, "A5")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-hold]")).to_be_hidden()
    assert not Booking.objects.filter(user=customer, state=BookingState.HELD).exists()
    page.unroute("**/api/shows/*/seats")

    page.locator("[data-hold-button]").click()
    expect(page.locator("[data-hold]")).to_be_visible()
    assert Booking.objects.get(user=customer, state=BookingState.HELD).seats == ["A4"]
    page.context.close()


def test_hold_running_out_tells_the_customer(live_server, show, customer, settings, browser):
    settings.MARQUEE_HOLD_MINUTES = 0.05  # three seconds
    page = signed_in_page(browser, live_server, customer)
    open_show(page, live_server, show)
    seat(page, "B1").click()
    page.locator("[data-hold-button]").click()
    expect(page.locator("[data-hold]")).to_be_visible()
    expect(page.locator("[data-alert]")).to_contain_text("Your hold expired", timeout=TIMEOUT_MS)
    expect(page.locator("[data-hold]")).to_be_hidden()
    # The seat is free again and still chosen, ready to be held again.
    expect(seat(page, "B1")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-hold-button]")).to_be_enabled()
    page.context.close()


def test_signed_out_visitor_is_asked_to_sign_in(live_server, show, browser):
    page = new_page(browser)
    open_show(page, live_server, show)
    expect(page.locator(".site-account").get_by_role("link", name="Sign in")).to_have_attribute(
        "href", f"/accounts/login/?next={show.url}"
    )
    expect(page.locator("[data-signin]")).to_be_visible()
    seat(page, "A1").click()
    page.locator("[data-hold-button]").click()
    link = page.locator("[data-alert]").get_by_role("link", name="Sign in to book")
    expect(link).to_have_attribute("href", f"/accounts/login/?next={show.url}")
    page.context.close()


def test_an_idle_map_polls_with_its_etag_and_keeps_its_picture_on_304(live_server, show, customer, browser):
    page = signed_in_page(browser, live_server, customer)
    polls = []
    page.on("request", lambda request: "/seats" in request.url and polls.append(request))
    open_show(page, live_server, show)
    seat(page, "A2").click()
    # Two refreshes (every ~5 s) with nothing changed: both conditional, both answered 304.
    page.wait_for_timeout(11_000)
    answered = [(poll.headers.get("if-none-match"), poll.response().status) for poll in polls]
    assert answered[0][0] is None and answered[0][1] == 200  # the first load asks unconditionally
    assert len(answered) >= 3 and all(etag and status == 304 for etag, status in answered[1:])
    expect(seat(page, "A2")).to_have_attribute("aria-pressed", "true")  # the picture is kept
    hold_seats(make_customer("ravi"), show, ["A5"])
    expect(seat(page, "A5")).to_have_attribute("aria-disabled", "true", timeout=TIMEOUT_MS)  # a change: 200
    page.context.close()
