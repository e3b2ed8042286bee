"""Customers sign in with their e-mail address (staff with their username); allauth limits failed attempts."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, code_in, make_customer

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
MISMATCH = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password, **extra})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_sign_in_by_e_mail_lands_on_the_account_page(client, customer):
    response = sign_in(client, "Ada@Example.com")  # e-mail addresses are case-insensitive
    assert response.status_code == 302 and response.url == reverse("customer_account")
    assert signed_in_as(client) == str(customer.pk)


def test_sign_in_honours_next(client, customer):
    response = client.post(f"{LOGIN}?next=/movies/", {"login": customer.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/movies/"


def test_a_wrong_password_is_refused(client, customer):
    response = sign_in(client, customer.email, "not-my-password")
    assert response.status_code == 200
    assert MISMATCH in response.content.decode()
    assert signed_in_as(client) is None


def test_an_unknown_address_is_refused_the_same_way(client, customer):
    response = sign_in(client, "nobody@example.com")
    assert response.status_code == 200 and MISMATCH in response.content.decode()


def test_a_username_signs_in_too(client, customer):
    """Staff sign in here with their usernames, so the field takes a username as well."""
    response = sign_in(client, customer.username)
    assert response.status_code == 302 and signed_in_as(client) == str(customer.pk)


def test_a_wrong_password_for_a_username_is_refused(client, customer):
    response = sign_in(client, customer.username, "not-my-password")
    assert response.status_code == 200 and signed_in_as(client) is None
    assert "The username and/or password you specified are not correct." in response.content.decode()


def test_an_unverified_customer_is_sent_a_code_instead(client, mailoutbox):
    make_customer("bob@example.com", verified=False)
    response = sign_in(client, "bob@example.com")
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert signed_in_as(client) is None
    code = code_in(mailoutbox[0])
    response = client.post(response.url, {"code": code})
    assert response.status_code == 302 and response.url == reverse("customer_account")
    assert signed_in_as(client) is not None


def test_repeated_failures_lock_the_address_for_a_while(client, customer, clock):
    """allauth 65's default ACCOUNT_RATE_LIMITS["login_failed"] is "10/m/ip,5/300s/key": after five
    failures for one address, even the right password is refused until the window has passed."""
    for _ in range(5):
        assert MISMATCH in sign_in(client, customer.email, "guess").content.decode()

    response = sign_in(client, customer.email)  # the right password, too late
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert signed_in_as(client) is None

    other = make_customer("grace@example.com")
    assert sign_in(client, other.email).status_code == 302  # the limit is per address
    client.logout()

    clock.shift(timedelta(minutes=5, seconds=1))
    response = sign_in(client, customer.email)
    assert response.status_code == 302 and signed_in_as(client) == str(customer.pk)


def test_sign_out_is_a_post(client, customer):
    client.force_login(customer)
    page = client.get(reverse("account_logout"))  # a confirmation page, not a sign-out
    assert page.status_code == 200 and signed_in_as(client) == str(customer.pk)
    assert '<form class="form" method="post" action="/accounts/logout/">' in page.content.decode()

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302 and response.url == "/"
    assert signed_in_as(client) is None
