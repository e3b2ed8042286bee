"""The seat picker in Hindi, in a real browser whose language is Hindi: the page comes in
Hindi, and the words the JavaScript writes (session.js's header, seatmap.js's summary, the
held quote) come from the Hindi catalog the page loads from /jsi18n/hi/."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import open_show, seat, signed_in_page  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_hindi_speaking_customer_picks_and_holds_seats_in_hindi(live_server, show, customer, browser):
    page = signed_in_page(browser, live_server, customer, locale="hi-IN")
    open_show(page, live_server, show)
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    header = page.locator(".site-account")
    expect(header.get_by_role("link", name="आपका खाता")).to_be_visible()  # painted by session.js
    expect(header.get_by_role("button", name="साइन आउट करें")).to_be_visible()

    expect(seat(page, "B4")).to_have_attribute("aria-label", re.compile(r"^सीट B4, Prime, ₹[\d,]+\.\d\d, उपलब्ध$"))
    seat(page, "B4").click()
    seat(page, "B5").click()
    expect(page.locator("[data-count]")).to_have_text("10 में से 2 सीटें चुनी गईं: B4, B5।")
    expect(page.locator(".picker__remove").first).to_have_attribute("aria-label", "सीट B4 हटाएँ")
    hold = page.locator("[data-hold-button]")
    expect(hold).to_have_text("सीटें होल्ड करें")
    hold.click()
    expect(page.locator("[data-held-seats]")).to_have_text("B4, B5")
    expect(page.locator("[data-quote]")).to_contain_text("कुल")
    expect(page.locator("[data-hold-form]")).to_be_hidden()  # holding the same seats again changes nothing
    assert page.js_errors == []
