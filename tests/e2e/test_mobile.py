"""A customer who lives on their phone, in a real browser, end to end, with screenshots.

A new customer signs up with an e-mail address and a mobile number, types the code texted to the
number and then the e-mailed one, chooses tickets by SMS and WhatsApp on the account page, signs
out, signs back in with the mobile number and a one-time code, books two seats and pays in the
sandbox; the confirmation reaches the console SMS and WhatsApp backend with the booking's link.

The codes are read the way a developer reads them: from the console backend's lines in the task
cluster's log (``task_cluster.text(key)``: the sent-log row is "sent", the task recorded, the
line carries the row's provider id). axe-core checks the sign-up and code pages on the way
(tests/e2e/axe.py).

Screenshots: ``artifacts/e2e/9-mobile--<nn>-<step>.png``.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright")
from django.urls import reverse  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from home.templatetags.marquee import inr  # noqa: E402
from messaging.models import MessageStatus, MobileNumber, SentMessage  # noqa: E402
from tests.e2e.axe import blocking_violations, describe  # noqa: E402
from tests.e2e.conftest import confirm_email_code, hold_and_continue, new_page  # noqa: E402
from ticketing.models import BookingState  # noqa: E402
from ticketing.services.pricing import quote  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "popcorn-and-a-film-42"
TYPED_NUMBER = "98765 43210"
NUMBER = "+919876543210"
CODE = re.compile(r"^(\S+) is your Marquee code\.")


def texted_code(task_cluster, earlier: int) -> str:
    """The one-time code in the newest texted code to NUMBER, once it is more than `earlier`."""
    codes = SentMessage.objects.filter(purpose="otp", to_number=NUMBER)
    task_cluster.wait_until(lambda: codes.count() > earlier, "log a new one-time code")
    text = task_cluster.text(codes.order_by("-pk").first().key)
    assert text["channel"] == "sms"
    match = CODE.match(text["body"])
    assert match, f"no code in {text['body']!r}"
    return match.group(1)


def accessible(page, where: str, found: list[str]) -> None:
    found.append(describe(where, blocking_violations(page)))


def test_customer_signs_up_and_in_with_a_mobile_number_and_gets_the_tickets_by_sms_and_whatsapp(
    live_server, browser, show, shots, task_cluster
):
    shots = shots("9-mobile")
    email = "kavya.iyer@example.com"
    violations: list[str] = []

    # Sign up with a mobile number: its texted code first, then the e-mailed one.
    page = new_page(browser)
    page.goto(live_server.url + reverse("account_signup"))
    page.locator("#id_email").fill(email)
    page.locator("#id_phone").fill(TYPED_NUMBER)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    accessible(page, "sign-up page", violations)
    shots(page, "signup-with-mobile")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**" + reverse("account_verify_phone"))
    expect(page.locator("#id_code")).to_be_visible()
    accessible(page, "verify-mobile page", violations)
    page.locator("#id_code").fill(texted_code(task_cluster, 0))
    shots(page, "mobile-code")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**" + reverse("account_email_verification_sent"))
    mobile = MobileNumber.objects.get(user__email=email)
    assert (str(mobile.number), mobile.verified) == (NUMBER, True)
    customer = confirm_email_code(page, email, shots)

    # Tickets by SMS and WhatsApp, chosen on the account page.
    page.goto(live_server.url + reverse("customer_account"))
    mobile_panel = page.locator("#mobile")
    expect(mobile_panel).to_contain_text("+91 98765 43210")
    mobile_panel.get_by_label("SMS", exact=True).check()
    mobile_panel.get_by_label("WhatsApp", exact=True).check()
    mobile_panel.get_by_role("button", name="Save").click()
    expect(page.locator("#mobile").get_by_label("WhatsApp", exact=True)).to_be_checked()
    mobile.refresh_from_db()
    assert (mobile.sms_opt_in, mobile.whatsapp_opt_in) == (True, True)
    shots(page, "channels-chosen")

    # Sign out, then back in with the mobile number and a texted one-time code.
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_url(lambda url: "/account/" not in url)
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_role("link", name="Sign in with a one-time code").click()
    page.wait_for_url("**" + reverse("account_request_login_code"))
    page.locator("#id_phone").fill(TYPED_NUMBER)
    accessible(page, "request-code page", violations)
    shots(page, "request-sign-in-code")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**" + reverse("account_confirm_login_code"))
    page.locator("#id_code").fill(texted_code(task_cluster, 1))
    accessible(page, "sign-in-code page", violations)
    shots(page, "sign-in-code")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto(live_server.url + reverse("customer_account"))
    expect(page.locator(".account-email")).to_contain_text(email)
    assert SentMessage.objects.filter(purpose="otp", to_number=NUMBER).count() == 2

    # Two seats, paid in the sandbox.
    booking = hold_and_continue(page, live_server, show, customer, ["B4", "B5"])
    total = quote(booking).total
    page.get_by_role("button", name="Proceed to pay").click()
    page.wait_for_url("**/payments/sandbox/**")
    page.get_by_role("button", name=f"Pay {inr(total)}").click()
    page.wait_for_url(f"**/bookings/{booking.reference}/")
    expect(page.locator(".banner--open")).to_contain_text("confirmed")
    shots(page, "confirmed")
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED

    # The confirmation went out by SMS and on WhatsApp, each once, with the link to the tickets.
    link = f"/bookings/{booking.reference}/"
    for channel in ("sms", "whatsapp"):
        text = task_cluster.text(f"booking_confirmed:{booking.reference}:{channel}")
        assert (text["channel"], text["to"]) == (channel, NUMBER)
        assert booking.reference in text["body"] and link in text["body"], text["body"]
    rows = SentMessage.objects.filter(booking_reference=booking.reference)
    assert sorted(rows.values_list("channel", "purpose", "status")) == [
        ("sms", "booking_confirmed", MessageStatus.SENT),
        ("whatsapp", "booking_confirmed", MessageStatus.SENT),
    ]
    assert all(row.to_number == NUMBER and link in row.body for row in rows)
    task_cluster.email(f"booking_confirmed:{booking.reference}")  # and the e-mail, as ever
    assert page.js_errors == []

    violations = [report for report in violations if report]
    assert not violations, "axe-core found serious or critical violations:\n" + "\n".join(violations)
