"""The door in a real browser: a Box office member types codes (Enter submits, the result
panel turns green / amber / red) and scans one with the camera.

Headless Chromium on Linux has no BarcodeDetector, so the camera test stands one in (and a
canvas for the camera) before the page loads; everything after — the button appearing, the
scan loop, one request per code held in view, the result — is the page's own code.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from django.contrib.auth.models import Group  # noqa: E402
from django.utils import timezone  # noqa: E402

from home.roles import BOX_OFFICE  # noqa: E402
from tests.e2e.conftest import signed_in_page  # noqa: E402
from tests.factories import local_dt, make_customer, make_movie, make_show, make_user  # noqa: E402
from ticketing.models import Ticket  # noqa: E402
from ticketing.services.checkout import start_checkout  # noqa: E402
from ticketing.services.holds import hold_seats  # noqa: E402
from wallet import services as wallet  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FAKE_CAMERA = """
(() => {
  window.__scans = [];
  class FakeBarcodeDetector {
    static async getSupportedFormats() { return ["qr_code"]; }
    async detect() { return window.__scans.length ? [{ rawValue: window.__scans[0] }] : []; }
  }
  window.BarcodeDetector = FakeBarcodeDetector;
  navigator.mediaDevices.getUserMedia = async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 320; canvas.height = 240;
    const paint = () => { const c = canvas.getContext("2d"); c.fillStyle = "#" + (Date.now() % 4096).toString(16).padStart(3, "0"); c.fillRect(0, 0, 320, 240); };
    paint(); setInterval(paint, 100);
    return canvas.captureStream(10);
  };
})();
"""


@pytest.fixture
def tickets():
    tomorrow = timezone.localdate() + timedelta(days=1)
    show = make_show(
        movie=make_movie(title="Dune", slug="dune"), starts_at=local_dt(tomorrow.year, tomorrow.month, tomorrow.day, 18)
    )
    customer = make_customer(username="asha", email="asha@example.com", first_name="Asha")
    wallet.credit(customer, Decimal("2000"), reason="Test")
    booking = start_checkout(hold_seats(customer, show, ["A1", "A2"]).booking, use_wallet=True).booking
    return list(booking.tickets.order_by("seat_label"))


@pytest.fixture
def doorman():
    user = make_user(username="doorman")
    user.groups.add(Group.objects.get(name=BOX_OFFICE))
    return user


def result(page):
    return page.locator("[data-checkin-result]")


def test_typed_codes_admit_once_and_say_why_not(live_server, browser, doorman, tickets, shots, task_cluster):
    shots = shots("4-checkin-typed")
    a1, a2 = tickets
    page = signed_in_page(browser, live_server, doorman)
    page.goto(live_server.url + "/admin/checkin/")
    code = page.get_by_label("Ticket code")
    expect(code).to_be_focused()
    expect(page.locator("[data-checkin-camera]")).to_be_hidden()  # no BarcodeDetector here

    spaced = " ".join(a1.code[i : i + 4] for i in range(0, 16, 4)).lower()
    code.fill(spaced)
    code.press("Enter")
    expect(result(page)).to_have_class("checkin-result checkin-result--admitted")
    expect(result(page)).to_contain_text("Admit")
    expect(result(page)).to_contain_text("Seat A1")
    expect(result(page)).to_contain_text("Asha")
    expect(result(page)).to_contain_text(a1.booking.reference)
    expect(code).to_have_value("")
    expect(code).to_be_focused()
    shots(page, "admitted")
    assert Ticket.objects.get(pk=a1.pk).used_by == doorman

    code.fill(a1.code)
    code.press("Enter")
    expect(result(page)).to_have_class("checkin-result checkin-result--already_used")
    expect(result(page)).to_contain_text("Already used at")
    shots(page, "already-used")

    page.get_by_label("Show at this door").select_option(label=page.locator("select[name=show] option").nth(1).inner_text())
    code.fill("NOT-A-CODE")
    code.press("Enter")
    expect(result(page)).to_have_class("checkin-result checkin-result--invalid")
    expect(code).to_have_value("NOT-A-CODE")  # kept, to correct a typo
    shots(page, "invalid")

    code.fill(a2.code)
    page.get_by_role("button", name="Check in").click()
    expect(result(page)).to_have_class("checkin-result checkin-result--admitted")
    assert page.js_errors == []
    page.context.close()
    # The booking made by the fixture was confirmed by e-mail from the cluster, not inline.
    assert task_cluster.email(f"booking_confirmed:{a1.booking.reference}")["To"] == "asha@example.com"


def test_a_camera_scan_admits_once(live_server, browser, doorman, tickets, shots):
    shots = shots("4-checkin-camera")
    a1, _ = tickets
    page = signed_in_page(browser, live_server, doorman)
    page.add_init_script(FAKE_CAMERA)
    page.goto(live_server.url + "/admin/checkin/")
    camera = page.get_by_role("button", name="Scan with camera")
    expect(camera).to_be_visible()
    camera.click()
    expect(page.locator("[data-checkin-video]")).to_be_visible()
    expect(page.get_by_role("button", name="Stop camera")).to_have_attribute("aria-pressed", "true")

    page.evaluate("code => window.__scans.push(code)", a1.code)
    expect(result(page)).to_have_class("checkin-result checkin-result--admitted")
    page.wait_for_timeout(1500)  # the code stays in view: still one scan, one admission
    expect(result(page)).to_have_class("checkin-result checkin-result--admitted")
    shots(page, "camera")

    page.get_by_role("button", name="Stop camera").click()
    expect(page.locator("[data-checkin-video]")).to_be_hidden()
    assert Ticket.objects.get(pk=a1.pk).used_at is not None
    assert page.js_errors == []
    page.context.close()
