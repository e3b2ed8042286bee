"""Staff sign in through allauth's login like customers, with its limits: the admins' own
login views are out of reach, and Django's admin is not mounted in production."""

import importlib
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, clear_url_caches, resolve, reverse

from home.roles import FINANCE
from tests.accounts.test_login import LOGIN, TOO_MANY, signed_in_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STAFF_PASSWORD = "counting-the-takings-7"
WRONG_USERNAME = "The username and/or password you specified are not correct."


@pytest.fixture
def finance(db):
    user = UserFactory(username="finance", email="finance@marquee.example", password=STAFF_PASSWORD)
    user.groups.add(Group.objects.get(name=FINANCE))
    return user


def staff_sign_in(client, username, password=STAFF_PASSWORD, next_url=None):
    url = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    return client.post(url, {"login": username, "password": password})


def test_the_admin_login_leads_to_the_guarded_login_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/reports/sales/")
    assert response.status_code == 302 and response.url == f"{LOGIN}?next=/admin/reports/sales/"


def test_an_outside_next_is_dropped(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response.status_code == 302 and response.url == f"{LOGIN}?next=/admin/"


def test_wagtails_own_login_view_is_unreachable(client, finance):
    response = client.post("/admin/login/", {"username": "finance", "password": STAFF_PASSWORD})
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert signed_in_as(client) is None


def test_the_admin_sends_visitors_to_the_guarded_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == f"{LOGIN}?next=/admin/"


def test_staff_sign_in_with_their_username_and_land_where_they_were_going(client, finance):
    """No e-mail code either: staff e-mail addresses are the cinema's, not verified by sign-up."""
    response = staff_sign_in(client, "finance", next_url="/admin/reports/sales/")
    assert response.status_code == 302 and response.url == "/admin/reports/sales/"
    assert signed_in_as(client) == str(finance.pk)
    assert client.get("/admin/").status_code == 200


def test_staff_without_next_land_on_the_admin_dashboard(client, finance):
    response = staff_sign_in(client, "finance")
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_customers_still_land_on_their_account_page(client, customer):
    from tests.accounts.helpers import PASSWORD

    response = client.post(LOGIN, {"login": customer.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("customer_account")


def test_25_wrong_passwords_then_the_right_one_is_refused(client, finance):
    for attempt in range(25):
        page = staff_sign_in(client, "finance", f"guess-{attempt}").content.decode()
        assert WRONG_USERNAME in page or TOO_MANY in page
    response = staff_sign_in(client, "finance")
    assert response.status_code == 200 and TOO_MANY in response.content.decode()
    assert signed_in_as(client) is None
    assert client.get("/admin/").status_code == 302


def test_the_admin_sign_out_still_works(client, finance):
    client.force_login(finance)
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302 and response.url == LOGIN
    assert signed_in_as(client) is None


def test_the_admin_password_change_still_works(client, finance):
    client.force_login(finance)
    page = client.get(reverse("wagtailadmin_account"))
    assert page.status_code == 200 and 'name="password-new_password1"' in page.content.decode()
    new = "a-brand-new-password-91"
    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "Fin",
            "name_email-last_name": "Ance",
            "name_email-email": finance.email,
            "locale-preferred_language": "",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "password-old_password": STAFF_PASSWORD,
            "password-new_password1": new,
            "password-new_password2": new,
        },
    )
    assert response.status_code == 302, re.findall(r"error-message.{0,200}", response.content.decode(), re.S)
    finance.refresh_from_db()
    assert finance.check_password(new)


# --- Django's admin ---------------------------------------------------------------------------
def test_django_admin_is_there_in_development(client):
    assert resolve("/django-admin/").namespace == "admin"
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302 and response.url == f"{LOGIN}?next=/django-admin/"


@pytest.fixture
def production_urls(settings):
    """config.urls as production builds it; the development one is restored afterwards."""
    import config.urls

    settings.MARQUEE_PRODUCTION = True
    clear_url_caches()
    yield importlib.reload(config.urls)
    settings.MARQUEE_PRODUCTION = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_django_admin_is_gone_in_production(client, production_urls, admin_user):
    assert resolve("/django-admin/").namespace != "admin"  # only Wagtail's page catch-all is left
    with pytest.raises(NoReverseMatch):
        reverse("admin:index")
    client.force_login(admin_user)
    assert client.get("/django-admin/").status_code == 404
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Task queue" in html and "django_q/failure" not in html  # the dashboard link goes with it


def test_the_username_and_the_e_mail_share_one_failure_allowance(client, finance):
    """Five failures by username lock the account by e-mail too (and the other way round)."""
    for attempt in range(5):
        assert WRONG_USERNAME in staff_sign_in(client, "finance", f"guess-{attempt}").content.decode()
    response = staff_sign_in(client, finance.email.upper())
    assert response.status_code == 200 and TOO_MANY in response.content.decode()
    assert signed_in_as(client) is None
