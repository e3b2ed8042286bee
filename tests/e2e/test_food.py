"""Food and drinks in a real browser, end to end, with screenshots: a customer holds two seats,
adds two large popcorns on the booking page (the server's quote gains the food line and its
5 % GST line), pays in the sandbox; the e-mail and the PDF carry the pickup code; the food
stand types it in the admin and hands the popcorn over once.

Screenshots: ``artifacts/e2e/7-food--<nn>-<step>.png``."""

from __future__ import annotations

import io
import re

import pytest

pytest.importorskip("playwright")
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from playwright.sync_api import expect  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from home.roles import BOX_OFFICE  # noqa: E402
from home.templatetags.marquee import inr  # noqa: E402
from tests.e2e.conftest import hold_and_continue, signed_in_page  # noqa: E402
from tests.factories import make_concession  # noqa: E402
from ticketing.models import FoodPickup  # noqa: E402
from ticketing.services.pricing import quote  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STAFF_PASSWORD = "food-stand-staff-42"


def test_customer_adds_two_popcorns_pays_and_the_stand_hands_them_over(live_server, browser, show, customer, shots, task_cluster):
    shots = shots("7-food")
    make_concession(sku="POP-L", name="Large salted popcorn", price="260.00", description="Freshly popped, 150 g tub.")
    make_concession(sku="COLA", name="Cola 500 ml", price="140.00", category="drinks")

    page = signed_in_page(browser, live_server, customer)
    booking = hold_and_continue(page, live_server, show, customer, ["A4", "A5"])

    # Two large popcorns with the stepper: the quote is the server's, with the food tax line.
    menu = page.locator("[data-menu]")
    expect(menu).to_contain_text("Large salted popcorn")
    plus = page.get_by_role("button", name="One more Large salted popcorn")
    plus.click()
    plus.click()
    expect(page.locator("[data-quote]")).to_contain_text("2 × Large salted popcorn")
    expect(page.locator("[data-quote]")).to_contain_text("GST on food and drinks @ 5%")
    booking.refresh_from_db()
    priced = quote(booking)
    assert [(line.sku, line.quantity) for line in priced.items] == [("POP-L", 2)]
    expect(page.locator("[data-quote-total]")).to_have_text(inr(priced.total))
    shots(page, "booking-with-popcorn")

    page.get_by_role("button", name="Proceed to pay").click()
    page.wait_for_url("**/payments/sandbox/**")
    page.get_by_role("button", name=f"Pay {inr(priced.total)}").click()
    page.wait_for_url(f"**/bookings/{booking.reference}/")
    expect(page.locator(".banner--open").first).to_contain_text("confirmed")
    pickup = FoodPickup.objects.get(booking=booking)
    expect(page.locator("[data-pickup-code]")).to_contain_text(pickup.code)
    shots(page, "confirmed-with-pickup-code")

    confirmation = task_cluster.email(f"booking_confirmed:{booking.reference}")
    assert pickup.code in confirmation.get_body(("plain",)).get_content()
    (pdf,) = [part.get_content() for part in confirmation.iter_attachments() if part.get_content_type() == "application/pdf"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert pickup.code in text and "Large salted popcorn" in text

    # The stand: type the code, hand over once; a second scan says it was collected.
    stand = get_user_model().objects.create_user(username="stand", email="stand@marquee.example", password=STAFF_PASSWORD)
    stand.is_staff = True
    stand.save()
    stand.groups.add(Group.objects.get(name=BOX_OFFICE))
    staff = signed_in_page(browser, live_server, stand)
    staff.goto(live_server.url + "/admin/pickup/")
    staff.get_by_label("Pickup code").fill(pickup.code.lower())
    staff.get_by_role("button", name="Look up").click()
    expect(staff.locator("[data-pickup-result]")).to_contain_text("2 × Large salted popcorn")
    expect(staff.locator("[data-pickup-result]")).to_have_attribute("data-pickup-result", "handed_over")
    shots(staff, "stand-hands-over")
    staff.get_by_label("Pickup code").fill(pickup.code)
    staff.get_by_role("button", name="Look up").click()
    expect(staff.locator("[data-pickup-result]")).to_contain_text(re.compile("Already collected at"))
    shots(staff, "stand-already-collected")
    assert not page.js_errors, page.js_errors
