"""Mobile numbers: added on the account page and verified by a texted code, stored as E.164,
unique across accounts, and a way to sign in with a one-time code, under allauth's limits."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from messaging.backends import ConsoleBackend
from messaging.models import MobileNumber, SentMessage
from messaging.phones import normalize, set_phone
from tests.accounts.helpers import PASSWORD, code_in, make_customer

pytestmark = pytest.mark.django_db
NUMBER = "+919876543210"


def last_code() -> str:
    return ConsoleBackend.sent[-1]["body"].split()[0]


def signed_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("typed", ["98765 43210", "+91 98765-43210", "09876543210", "+919876543210"])
def test_numbers_are_stored_as_e164(customer, typed):
    assert normalize(typed) == NUMBER
    set_phone(customer, typed, verified=False)
    assert str(MobileNumber.objects.get(user=customer).number) == NUMBER


@pytest.mark.parametrize("typed", ["12345", "not a number", "+1 202 555 0143", "+91 11 2345 6789", ""])
def test_malformed_foreign_and_landline_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        normalize(typed)


def test_add_and_verify_a_number_from_the_account_page(client, customer):
    signed_in(client, customer)
    assert reverse("account_change_phone") in client.get(reverse("customer_account")).content.decode()
    response = client.post(reverse("account_change_phone"), {"phone": "98765 43210"})
    assert response.status_code == 302 and response.url == reverse("account_verify_phone")
    text = SentMessage.objects.get(purpose="otp")
    assert (text.to_number, text.channel, text.status) == (NUMBER, "sms", "sent")
    assert text.body == "[one-time code, not kept]"  # the code does not stay readable in the log
    code = last_code()
    assert not MobileNumber.objects.filter(user=customer).exists()  # attached only once verified
    page = client.get(reverse("account_verify_phone")).content.decode()
    assert "Check your phone" in page and "No text message after a minute or two?" in page
    assert "Check your inbox" not in page and "No e-mail" not in page  # the code came by text

    wrong = client.post(reverse("account_verify_phone"), {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 200 and "code" in wrong.context["form"].errors
    assert not MobileNumber.objects.filter(user=customer).exists()

    response = client.post(reverse("account_verify_phone"), {"code": code})
    assert response.status_code == 302
    row = MobileNumber.objects.get(user=customer)
    assert (str(row.number), row.verified) == (NUMBER, True)
    page = client.get(reverse("customer_account")).content.decode()
    assert "+91 98765 43210" in page and 'name="sms"' in page


def test_a_number_on_another_account_is_refused_with_a_form_error(client, customer):
    other = make_customer("grace@example.com")
    set_phone(other, NUMBER, verified=True)
    signed_in(client, customer)
    response = client.post(reverse("account_change_phone"), {"phone": "+91 98765-43210"})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == ["This mobile number is already on another Marquee account."]
    assert not SentMessage.objects.exists()
    assert not MobileNumber.objects.filter(user=customer).exists()
    with pytest.raises(ValidationError):
        set_phone(customer, NUMBER, verified=False)


def test_a_malformed_number_is_a_form_error(client, customer):
    signed_in(client, customer)
    response = client.post(reverse("account_change_phone"), {"phone": "+1 202 555 0143"})
    assert response.status_code == 200 and response.context["form"].errors["phone"]
    assert not SentMessage.objects.exists()


def test_sign_in_with_mobile_and_a_one_time_code(client, customer):
    set_phone(customer, NUMBER, verified=True)
    assert reverse("account_request_login_code") in client.get(reverse("account_login")).content.decode()
    response = client.post(reverse("account_request_login_code"), {"phone": "98765 43210"})
    assert response.status_code == 302 and response.url == reverse("account_confirm_login_code")
    assert ConsoleBackend.sent[-1]["to"] == NUMBER
    response = client.post(reverse("account_confirm_login_code"), {"code": last_code()})
    assert response.status_code == 302
    assert client.get(reverse("customer_account")).context["user"] == customer


def test_wrong_codes_lock_the_sign_in_attempt(client, customer):
    set_phone(customer, NUMBER, verified=True)
    client.post(reverse("account_request_login_code"), {"phone": NUMBER})
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        client.post(reverse("account_confirm_login_code"), {"code": wrong})
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302 and response.url != reverse("customer_account")
    assert "_auth_user_id" not in client.session


def test_code_requests_per_number_are_rate_limited(customer, clock):
    """allauth's request_login_code limit (3 a minute per number), from fresh sessions as an
    attacker would send them, and the per-address limit behind it."""
    set_phone(customer, NUMBER, verified=True)
    for _ in range(3):
        clock.shift(1)
        assert Client().post(reverse("account_request_login_code"), {"phone": NUMBER}).status_code == 302
    clock.shift(1)
    response = Client().post(reverse("account_request_login_code"), {"phone": "98765 43210"})
    assert response.status_code == 200 and response.context["form"].errors["phone"]
    assert SentMessage.objects.filter(purpose="otp").count() == 3
    clock.shift(61)
    assert Client().post(reverse("account_request_login_code"), {"phone": NUMBER}).status_code == 302


def test_sign_up_with_a_mobile_number_then_verify_it_by_code(client, mailoutbox):
    email = "new.customer@example.com"
    form = client.get(reverse("account_signup")).content.decode()
    assert 'Mobile number <span class="field__optional">(optional)</span>' in form
    assert form.count("(optional)") == 1  # the field template says it once, not the label as well
    response = client.post(
        reverse("account_signup"), {"email": email, "phone": "98765 43210", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("account_verify_phone")  # the number first
    row = MobileNumber.objects.get(user__email=email)
    assert (str(row.number), row.verified) == (NUMBER, False)
    response = client.post(reverse("account_verify_phone"), {"code": last_code()})
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")  # then the address
    row.refresh_from_db()
    assert row.verified
    response = client.post(reverse("account_email_verification_sent"), {"code": code_in(mailoutbox[-1])})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(row.user_id)


def test_sign_up_with_a_taken_number_reveals_nothing(client, customer):
    set_phone(customer, NUMBER, verified=True)
    response = client.post(
        reverse("account_signup"),
        {"email": "someone@example.com", "phone": NUMBER, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302  # as for a taken address: no account is made, nothing is said
    assert MobileNumber.objects.get(number=NUMBER).user == customer


def test_sign_up_with_a_malformed_number_is_a_form_error(client):
    response = client.post(
        reverse("account_signup"), {"email": "x@example.com", "phone": "12345", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200 and response.context["form"].errors["phone"]
    assert not MobileNumber.objects.exists()
