"""Sign-up by e-mail and password, then a one-time code by e-mail proves the address."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, code_in
from ticketing.services.verification import is_verified

pytestmark = pytest.mark.django_db

EMAIL = "new.customer@example.com"
CONFIRM = reverse("account_email_verification_sent")


def sign_up(client, email=EMAIL, password=PASSWORD):
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


def test_sign_up_e_mails_a_code_and_the_code_verifies_the_address(client, mailoutbox):
    response = sign_up(client)
    assert response.status_code == 302 and response.url == CONFIRM

    user = get_user_model().objects.get(email=EMAIL)
    assert user.username  # allauth generated one: customers never see it
    assert not is_verified(user)
    assert "_auth_user_id" not in client.session  # not signed in before the address is proved
    [message] = mailoutbox
    assert message.to == [EMAIL]
    assert message.subject == "[Marquee] Confirm your e-mail address"
    code = code_in(message)

    page = client.get(CONFIRM)
    assert page.status_code == 200
    html = page.content.decode()
    assert EMAIL in html and '<label class="field__label" for="id_code">' in html and 'autocomplete="one-time-code"' in html

    response = client.post(CONFIRM, {"code": code})
    assert response.status_code == 302 and response.url == reverse("customer_account")
    address = EmailAddress.objects.get(email=EMAIL)
    assert address.verified and address.primary and address.user == user
    assert is_verified(user)
    assert client.session["_auth_user_id"] == str(user.pk)  # verifying finishes the sign-in

    account = client.get(response.url)
    assert account.status_code == 200
    assert EMAIL in account.content.decode() and "Verified" in account.content.decode()


def test_a_wrong_code_is_refused_next_to_the_field(client, mailoutbox):
    sign_up(client)
    code = code_in(mailoutbox[0])
    wrong = "BBBB-CCCC" if code != "BBBB-CCCC" else "CCCC-BBBB"

    response = client.post(CONFIRM, {"code": wrong})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_code_error"' in html and "Incorrect code." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_code_error"' in html
    assert not EmailAddress.objects.get(email=EMAIL).verified

    assert client.post(CONFIRM, {"code": code}).status_code == 302  # the right code still works
    assert EmailAddress.objects.get(email=EMAIL).verified


def test_code_entry_is_limited_to_three_tries(client, mailoutbox):
    """allauth's ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS (3): then the code is dead."""
    sign_up(client)
    code = code_in(mailoutbox[0])
    for _ in range(2):
        assert client.post(CONFIRM, {"code": "ZZZZ-ZZZZ"}).status_code == 200
    response = client.post(CONFIRM, {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 302 and response.url == reverse("account_login")
    login_page = client.get(response.url).content.decode()
    assert "Too many failed login attempts" in login_page  # shown as a message on the sign-in page

    client.post(CONFIRM, {"code": code})
    assert not EmailAddress.objects.get(email=EMAIL).verified


def test_sign_up_refusals_are_shown_beside_their_fields(client, customer, mailoutbox):
    response = client.post(reverse("account_signup"), {"email": "not-an-email", "password1": "x", "password2": "y"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_email_error"' in html and 'id="id_password1_error"' in html
    assert not mailoutbox


def test_signing_up_with_a_taken_address_reveals_nothing(client, customer, mailoutbox):
    """allauth prevents enumeration: the same code page, and an e-mail to the owner instead."""
    response = sign_up(client, email=customer.email)
    assert response.status_code == 302 and response.url == CONFIRM
    assert get_user_model().objects.filter(email=customer.email).count() == 1
    [message] = mailoutbox
    assert message.to == [customer.email] and "already exists" in message.body
