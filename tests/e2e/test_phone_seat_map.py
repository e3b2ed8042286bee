"""The seat map on a 390 × 844 phone (Playwright driving the system Chromium, touch enabled).

Journey on the widest demo layout (seed_demo's 308-seat "Grand auditorium", built here from the
demo's own spec): the whole map fits the screen at once, every seat inside the viewport; a tap
on the overview zooms in around the finger (seats at least 32 px) without choosing a seat; taps
then choose seats; pinch out and in (real two-finger touches through the DevTools protocol)
zoom and settle at 32 px or the whole map; the keyboard's + / 0 zoom too; the bottom bar with
the selection stays on screen throughout, holds the seats and then says Continue.
Screenshots: artifacts/e2e/phone-seat-map--<nn>-<step>.png.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402

from home.demo import content  # noqa: E402
from tests.e2e.conftest import ARTIFACTS, make_customer, open_show, seat, signed_in_page, tomorrow_at  # noqa: E402
from tests.factories import make_layout, make_movie, make_screen, make_show, row  # noqa: E402
from ticketing.models import Booking, BookingState  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
MIN_ZOOMED = 32

SEATS_IN_VIEW = """() => {
  const header = document.querySelector('.site-header').getBoundingClientRect().bottom;
  const bar = document.querySelector('[data-picker-bar]').getBoundingClientRect().top;
  const seats = [...document.querySelectorAll('.seatmap .seat')];
  const outside = seats.filter((el) => {
    const r = el.getBoundingClientRect();
    return r.left < 0 || r.right > window.innerWidth || r.top < header || r.bottom > bar || r.width < 1;
  }).map((el) => el.dataset.label);
  const box = document.querySelector('.seatmap__scroll');
  return {count: seats.length, outside, overflow: document.documentElement.scrollWidth - window.innerWidth,
          sideways: box.scrollWidth - box.clientWidth};
}"""
SHOW_MAP = "document.querySelector('.seatmap__scroll').scrollIntoView({block: 'center', behavior: 'instant'})"
SMALLEST_SEAT = (
    "() => Math.min(...[...document.querySelectorAll('.seatmap .seat')].map((el) => el.getBoundingClientRect().width))"
)
BAR_ON_SCREEN = """() => {
  const r = document.querySelector('[data-picker-bar]').getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
}"""


def widest_demo_layout():
    """Every demo layout, as seed_demo builds it; the one with the most columns (then seats)."""
    made = []
    for spec in content.SEAT_LAYOUTS:
        rows = [
            row(r["label"], r["seats"], r["category"], **{k: v for k, v in r.items() if k not in ("label", "seats", "category")})
            for r in spec["rows"]
        ]
        made.append((spec["name"], make_layout(name=spec["name"], rows=rows, categories=spec["categories"])))
    name, layout = max(made, key=lambda pair: (pair[1].compile().columns, pair[1].compile().capacity))
    return name, layout


@pytest.fixture
def grand_show():
    name, layout = widest_demo_layout()
    assert layout.compile().capacity == 308
    return make_show(
        movie=make_movie(title="The Last Lighthouse", slug="the-last-lighthouse"),
        screen=make_screen(seat_layout=layout, format="2D"),
        starts_at=tomorrow_at(20, 40),
    )


def centre(page, locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def pinch(page, at, start: float, end: float, steps: int = 8):
    """Two fingers on either side of `at`, `start` px apart, moved to `end` px apart."""
    cdp = page.context.new_cdp_session(page)
    x, y = at

    def points(gap):
        return [{"x": x - gap / 2, "y": y, "id": 0}, {"x": x + gap / 2, "y": y, "id": 1}]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(start)})
    for step in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(start + (end - start) * step / steps)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_phone_seat_map_fits_zooms_and_keeps_the_bar(live_server, grand_show, browser, shots):
    shot = shots("phone-seat-map")
    customer = make_customer("meera")
    page = signed_in_page(browser, live_server, customer, **PHONE)
    open_show(page, live_server, grand_show)
    seatmap = page.locator(".seatmap")
    bar = page.locator("[data-picker-bar]")
    expect(bar).to_be_visible()
    expect(bar.locator("[data-bar-count]")).to_have_text("No seats yet")
    expect(bar.locator("[data-bar-action]")).to_be_disabled()

    # Fitted: the whole 308-seat layout at once, every seat inside the viewport, nothing sideways.
    expect(seatmap).to_have_attribute("data-zoom", "fit")
    page.evaluate(SHOW_MAP)
    fitted = page.evaluate(SEATS_IN_VIEW)
    assert fitted["count"] == 308
    assert fitted["outside"] == []
    assert fitted["overflow"] <= 0 and fitted["sideways"] <= 0  # nothing to scroll: no seat under a row label
    assert page.evaluate(SMALLEST_SEAT) < MIN_ZOOMED  # an overview: too small to aim at
    assert page.evaluate(BAR_ON_SCREEN)
    shot(page, "whole layout fitted")
    page.evaluate(SHOW_MAP)
    page.screenshot(path=str(ARTIFACTS / "phone-seat-map--viewport-fitted.png"))  # what the phone shows

    # One tap on the overview zooms in around the finger; it chooses nothing.
    page.evaluate(SHOW_MAP)
    page.touchscreen.tap(*centre(page, seat(page, "H12")))
    expect(seatmap).to_have_attribute("data-zoom", "40")
    assert page.evaluate(SMALLEST_SEAT) >= MIN_ZOOMED
    expect(seat(page, "H12")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate(BAR_ON_SCREEN)
    # The tapped seat is still under the finger's area: in view inside the map's box.
    expect(seat(page, "H12")).to_be_in_viewport()

    # Zoomed in, taps choose seats; the bar follows. (H13 first: a second tap on H12's spot
    # this soon would be the end of a double tap, which zooms and chooses nothing.)
    for label in ("H13", "H12"):
        target = seat(page, label)
        target.scroll_into_view_if_needed()
        page.touchscreen.tap(*centre(page, target))
        expect(target).to_have_attribute("aria-pressed", "true")
    expect(seatmap).to_have_attribute("data-zoom", "40")  # neighbouring seats are not a double tap
    expect(bar.locator("[data-bar-count]")).to_have_text("2 seats: H13, H12")
    expect(bar.locator("[data-bar-action]")).to_have_text("Hold seats")
    expect(bar.locator("[data-bar-action]")).to_be_enabled()
    assert page.evaluate(BAR_ON_SCREEN)
    shot(page, "zoomed in two seats chosen")
    page.evaluate(SHOW_MAP)
    page.screenshot(path=str(ARTIFACTS / "phone-seat-map--viewport-zoomed.png"))

    # A double tap goes back to the whole map, and leaves the seat as it was.
    target = seat(page, "H13")
    target.scroll_into_view_if_needed()
    x, y = centre(page, target)
    page.touchscreen.tap(x, y)
    page.touchscreen.tap(x, y)
    expect(seatmap).to_have_attribute("data-zoom", "fit")
    expect(seat(page, "H13")).to_have_attribute("aria-pressed", "true")

    # Pinch out from the whole map: seats grow past 32 px; pinch in a little: it settles at 32 px,
    # never between; pinch in hard: the whole map again.
    page.evaluate(SHOW_MAP)
    middle = centre(page, page.locator(".seatmap__scroll"))
    pinch(page, middle, 40, 300)
    expect(seatmap).not_to_have_attribute("data-zoom", "fit")
    assert page.evaluate(SMALLEST_SEAT) >= MIN_ZOOMED
    assert page.evaluate(BAR_ON_SCREEN)
    shot(page, "pinched out")
    zoomed = int(seatmap.get_attribute("data-zoom"))
    page.evaluate(SHOW_MAP)  # the screenshot scrolled to the top
    middle = centre(page, page.locator(".seatmap__scroll"))
    pinch(page, middle, 300, round(300 * 30 / zoomed))  # to 30 px: nearer 32 than the overview
    expect(seatmap).to_have_attribute("data-zoom", str(MIN_ZOOMED))
    assert page.evaluate(SMALLEST_SEAT) >= MIN_ZOOMED
    middle = centre(page, page.locator(".seatmap__scroll"))
    pinch(page, middle, 300, 40)
    expect(seatmap).to_have_attribute("data-zoom", "fit")
    page.evaluate(SHOW_MAP)
    assert page.evaluate(SEATS_IN_VIEW)["outside"] == []

    # The keyboard: the map is still one stop with arrow keys; + zooms in, 0 shows it whole.
    seat(page, "H13").focus()
    page.keyboard.press("ArrowRight")
    expect(seat(page, "H14")).to_be_focused()
    page.keyboard.press("+")
    expect(seatmap).to_have_attribute("data-zoom", str(MIN_ZOOMED))
    expect(seat(page, "H14")).to_be_in_viewport()
    page.keyboard.press("0")
    expect(seatmap).to_have_attribute("data-zoom", "fit")
    page.get_by_role("button", name="Zoom in").click()
    expect(seatmap).to_have_attribute("data-zoom", str(MIN_ZOOMED))
    expect(page.get_by_role("button", name="Show the whole seat map")).to_be_enabled()

    # Hold from the bar: the server's hold, the countdown and total in the bar, then Continue.
    bar.locator("[data-bar-action]").click()
    expect(bar.locator("[data-bar-action]")).to_have_text("Continue")
    booking = Booking.objects.get(user=customer, show=grand_show, state=BookingState.HELD)
    assert sorted(booking.seats) == ["H12", "H13"]
    expect(bar.locator("[data-bar-detail]")).to_have_text(re.compile(r"^Held · (10:00|9:[0-5]\d) left · ₹"))
    for where in ("document.documentElement.scrollHeight", "0"):
        page.evaluate(f"window.scrollTo({{top: {where}, behavior: 'instant'}})")
        assert page.evaluate(BAR_ON_SCREEN)
    shot(page, "held from the bar")
    bar.locator("[data-bar-action]").click()
    page.wait_for_url(f"**/bookings/{booking.reference}/")
    assert page.js_errors == []
