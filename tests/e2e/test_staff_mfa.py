"""Finance sets up two-factor sign-in in a real browser: the admin sends them to enrol, they
confirm their password, scan (here: read) the secret, enter the app's code, sign out, and sign
in again with password and code to reach the dashboard.

The codes are computed from the secret the page shows with allauth's own HOTP functions, one
30-second step apart, so the sign-in code is never the one already used to enrol
(MFA_TOTP_TOLERANCE = 1 accepts the next step, as it does for a phone whose clock runs ahead).
"""

from __future__ import annotations

import time

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

from home.roles import FINANCE  # noqa: E402
from tests.e2e.conftest import new_page  # noqa: E402
from tests.factories import make_user  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "counting-the-takings-7"


@pytest.fixture
def finance(settings):
    settings.MARQUEE_MFA_REQUIRED_GROUPS = ["Finance", "superusers"]
    user = make_user(username="finance", email="finance@marquee.example", password=PASSWORD, first_name="Farah")
    user.groups.add(Group.objects.get(name=FINANCE))
    return user


def code_for(secret: str, step: int = 0) -> str:
    """What the authenticator app shows `step` periods from now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def sign_in(page, live_server):
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/admin/")
    page.get_by_label("E-mail address").fill("finance")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_finance_enrols_an_authenticator_and_signs_in_with_it(live_server, browser, finance, shots, task_cluster):
    shots = shots("7-staff-mfa")
    page = new_page(browser)
    sign_in(page, live_server)

    # The admin is closed until enrolment; allauth first asks for the password again.
    expect(page).to_have_url(live_server.url + "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F")
    expect(page.get_by_text("Your role requires two-factor sign-in.")).to_be_visible()
    shots(page, "confirm-password")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(live_server.url + "/accounts/2fa/totp/activate/")
    expect(page.locator("img[src^='data:image/svg+xml']")).to_be_visible()  # the QR code
    secret = page.locator("#authenticator_secret").input_value()
    shots(page, "activate-authenticator")
    page.locator("#id_code").fill(code_for(secret))
    page.get_by_role("button", name="Activate").click()

    expect(page).to_have_url(live_server.url + "/accounts/2fa/recovery-codes/")
    expect(page.get_by_text("Authenticator app activated.")).to_be_visible()
    shots(page, "recovery-codes")
    assert Authenticator.objects.filter(user=finance, type=Authenticator.Type.TOTP).exists()

    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Today's sales")).to_be_visible()

    page.goto(live_server.url + "/accounts/logout/")
    page.locator("#main").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_server.url + "/")

    # Password alone no longer opens the admin: the code is asked for.
    sign_in(page, live_server)
    expect(page).to_have_url(live_server.url + "/accounts/2fa/authenticate/")
    shots(page, "enter-code")
    page.locator("#id_code").fill(code_for(secret, step=1))
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Today's sales")).to_be_visible()
    shots(page, "dashboard")
    assert not page.js_errors
