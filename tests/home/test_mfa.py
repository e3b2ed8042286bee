"""Two-factor sign-in for staff (allauth.mfa): who must enrol (MARQUEE_MFA_REQUIRED_GROUPS),
the admin closed until they have, and sign-in asking for the code once they have."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Group
from django.urls import reverse

from home.mfa_policy import mfa_required, must_enrol
from home.middleware import ENROL_MESSAGE
from home.roles import EDITORS, FINANCE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "counting-the-takings-7"
LOGIN = reverse("account_login")
ACTIVATE = reverse("mfa_activate_totp")
AUTHENTICATE = reverse("mfa_authenticate")
ADMIN = reverse("wagtailadmin_home")
REAUTHENTICATE = reverse("account_reauthenticate")


@pytest.fixture(autouse=True)
def required_groups(settings):
    settings.MARQUEE_MFA_REQUIRED_GROUPS = ["Finance", "superusers"]


def staff(username, group):
    user = UserFactory(username=username, email=f"{username}@marquee.example", password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def finance():
    return staff("finance", FINANCE)


@pytest.fixture
def editor():
    return staff("editor", EDITORS)


def code_for(secret: str, step: int = 0) -> str:
    """The authenticator app's code `step` periods from now (allauth's own HOTP)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def enrolled(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def password_sign_in(client, username, next_url=ADMIN):
    return client.post(f"{LOGIN}?next={next_url}", {"login": username, "password": PASSWORD})


def confirm_password(client):
    """allauth's "confirm access" step in front of the enrolment page, then that page."""
    response = client.post(f"{REAUTHENTICATE}?next={ACTIVATE}", {"password": PASSWORD})
    assert response.status_code == 302 and response.url == ACTIVATE
    return client.get(ACTIVATE)


# --- the policy -------------------------------------------------------------------------------
def test_who_must_use_two_factor(finance, editor, admin_user, settings):
    assert mfa_required(finance) and mfa_required(admin_user)
    assert not mfa_required(editor)
    settings.MARQUEE_MFA_REQUIRED_GROUPS = ["Finance"]
    assert not mfa_required(admin_user)  # superusers only when the token is listed
    settings.MARQUEE_MFA_REQUIRED_GROUPS = []
    assert not mfa_required(finance)


def test_an_enrolled_user_need_not_enrol(finance):
    assert must_enrol(finance)
    enrolled(finance)
    assert not must_enrol(finance)


# --- the admin closed until enrolment ---------------------------------------------------------
@pytest.mark.parametrize("path", ["/admin/", "/admin/reports/sales/", "/django-admin/"])
def test_a_required_user_is_sent_to_enrol_first(client, finance, path):
    client.force_login(finance)
    response = client.get(path)
    assert response.status_code == 302 and response.url == ACTIVATE


def test_the_superuser_is_sent_to_enrol_too(client, admin_user):
    client.force_login(admin_user)
    assert client.get(ADMIN).url == ACTIVATE


def test_the_reason_is_shown_and_enrolment_starts_with_the_password(client, finance):
    """allauth asks for the password again before a second factor is added (reauthentication)."""
    password_sign_in(client, "finance")
    page = client.get(ADMIN, follow=True)
    assert [url for url, _ in page.redirect_chain] == [ACTIVATE, f"{REAUTHENTICATE}?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"]
    assert ENROL_MESSAGE in page.content.decode().replace("&#x27;", "'")
    page = confirm_password(client)
    assert 'id="authenticator_secret"' in page.content.decode()


def test_the_rest_stays_reachable(client, finance):
    client.force_login(finance)
    assert client.get("/").status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get("/static/css/marquee.css").status_code == 200
    assert client.get("/api/docs").status_code == 200  # the API is not the admin
    assert client.post(reverse("wagtailadmin_logout")).url == LOGIN
    assert client.session.get("_auth_user_id") is None


def test_a_staff_member_not_required_is_not_redirected(client, editor):
    client.force_login(editor)
    assert client.get(ADMIN).status_code == 200


def test_after_enrolment_through_the_form_the_admin_opens(client, finance):
    assert password_sign_in(client, "finance").url == ADMIN
    page = confirm_password(client).content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"', page).group(1)

    wrong = client.post(ACTIVATE, {"code": "000000" if code_for(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Incorrect code." in wrong.content.decode()
    assert not Authenticator.objects.filter(user=finance).exists()

    response = client.post(ACTIVATE, {"code": code_for(secret)})
    assert response.status_code == 302 and response.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=finance, type=Authenticator.Type.TOTP).exists()
    assert client.get(ADMIN).status_code == 200


def test_the_admin_account_page_links_to_two_factor(client, editor):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_account")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in html and "Two-factor sign-in" in html


# --- signing in with a second factor ----------------------------------------------------------
def test_sign_in_asks_for_the_code_and_refuses_a_wrong_one(client, finance):
    secret = enrolled(finance)
    response = password_sign_in(client, "finance")
    assert response.status_code == 302 and response.url == AUTHENTICATE
    assert client.session.get("_auth_user_id") is None  # the password alone is not enough
    assert client.get(ADMIN).status_code == 302

    wrong = "123456" if code_for(secret) != "123456" else "654321"
    page = client.post(AUTHENTICATE, {"code": wrong})
    assert page.status_code == 200 and "Incorrect code." in page.content.decode()
    assert client.session.get("_auth_user_id") is None

    response = client.post(AUTHENTICATE, {"code": code_for(secret)})
    assert response.status_code == 302 and response.url == ADMIN
    assert client.session.get("_auth_user_id") == str(finance.pk)
    assert client.get(ADMIN).status_code == 200


def test_a_recovery_code_works_once(client, finance):
    enrolled(finance)
    code = RecoveryCodes.activate(finance).get_unused_codes()[0]

    password_sign_in(client, "finance")
    assert client.post(AUTHENTICATE, {"code": code}).url == ADMIN
    client.logout()

    password_sign_in(client, "finance")
    page = client.post(AUTHENTICATE, {"code": code})
    assert page.status_code == 200 and "Incorrect code." in page.content.decode()
    assert client.session.get("_auth_user_id") is None


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I)  # JSON data blocks do not run


def test_the_two_factor_pages_are_themed_and_run_no_inline_script(client, finance):
    """The public site's CSP forbids inline scripts: allauth's MFA pages (in the site's own
    layout) must not need any."""
    password_sign_in(client, "finance")
    pages = [confirm_password(client)]
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"', pages[0].content.decode()).group(1)
    client.post(ACTIVATE, {"code": code_for(secret)})
    pages += [client.get(reverse("mfa_index")), client.get(reverse("mfa_view_recovery_codes"))]
    client.logout()
    password_sign_in(client, "finance")
    pages.append(client.get(AUTHENTICATE))
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200 and "page-auth" in html
        assert "script-src 'self'" in page["Content-Security-Policy"]
        assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
