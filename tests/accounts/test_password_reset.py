"""Password reset by a one-time code: e-mail → code → new password → sign in with it."""

import pytest
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, code_in

pytestmark = pytest.mark.django_db

RESET = reverse("account_reset_password")
CODE = reverse("account_confirm_password_reset_code")
NEW_PASSWORD = "a-brand-new-password-7"


def ask_for_a_code(client, email):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302 and response.url == CODE
    return response


def test_reset_by_code(client, customer, mailoutbox):
    ask_for_a_code(client, customer.email)
    [message] = mailoutbox
    assert message.to == [customer.email] and message.subject == "[Marquee] Your password reset code"

    page = client.get(CODE)
    assert page.status_code == 200 and customer.email in page.content.decode()

    response = client.post(CODE, {"code": code_in(message)})
    assert response.status_code == 302 and response.url == reverse("account_complete_password_reset")
    page = client.get(response.url)
    assert page.status_code == 200 and "Choose a new password" in page.content.decode()

    response = client.post(response.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("account_password_reset_completed")
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD) and not customer.check_password(PASSWORD)

    client.logout()
    assert client.post(reverse("account_login"), {"login": customer.email, "password": NEW_PASSWORD}).status_code == 302


def test_a_wrong_reset_code_changes_nothing(client, customer, mailoutbox):
    ask_for_a_code(client, customer.email)
    response = client.post(CODE, {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 200 and "Incorrect code." in response.content.decode()
    # without the code, the new-password step sends you back to the code
    response = client.get(reverse("account_complete_password_reset"))
    assert response.status_code == 302 and response.url == CODE
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)


def test_an_unknown_address_looks_the_same_from_outside(client, customer, mailoutbox):
    """No account enumeration: the same code page; the e-mail says there is no account."""
    ask_for_a_code(client, "stranger@example.com")
    [message] = mailoutbox
    assert message.to == ["stranger@example.com"] and "no account" in message.body
