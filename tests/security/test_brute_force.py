"""Guessing is rate-limited: passwords (per address, and across addresses from one IP — the
per-address lockout is in tests/accounts/test_login.py), e-mail codes, check-in codes and holds.

E-mail codes: the sign-up code through HTTP — three wrong tries end it, and the right code
afterwards does not verify the address — is tests/accounts/test_signup.py
(test_code_entry_is_limited_to_three_tries); the password-reset code, which an attacker can
have sent to someone else's address, is here. Check-in codes: tests/checkin/test_api.py (the
guessing guard answers 429). Holds: tests/ticketing/test_api.py."""

import pytest
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, code_in, make_customer
from tests.accounts.test_login import LOGIN, TOO_MANY, sign_in, signed_in_as

pytestmark = pytest.mark.django_db

RESET_CODE = reverse("account_confirm_password_reset_code")
RESET_DONE = reverse("account_complete_password_reset")


def test_password_spraying_from_one_ip_is_cut_off(client):
    """allauth's login_failed limit is also 10 a minute per IP: trying one password against
    many addresses stops working, even for an address that was never tried."""
    victims = [make_customer(f"user{i}@example.com") for i in range(11)]
    for victim in victims[:10]:
        sign_in(client, victim.email, "Summer2026!")
    response = sign_in(client, victims[10].email, PASSWORD)
    assert TOO_MANY in response.content.decode()
    assert signed_in_as(client) is None


def test_another_ip_is_not_locked_out(client):
    victims = [make_customer(f"user{i}@example.com") for i in range(11)]
    for victim in victims[:10]:
        sign_in(client, victim.email, "Summer2026!")
    response = client.post(LOGIN, {"login": victims[10].email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302


# --- e-mail codes: the password reset, from the attacker's side --------------------------------
def ask_for_a_reset_code(client, email, **extra):
    return client.post(reverse("account_reset_password"), {"email": email}, **extra)


def test_guessing_a_password_reset_code_is_cut_off(client, mailoutbox):
    """The attacker asks for a reset code for someone else's address (the code goes to the
    victim's inbox) and guesses: the third wrong code ends the flow, and then even the right
    code does not let them choose a new password."""
    victim = make_customer("victim@example.com")
    assert ask_for_a_reset_code(client, victim.email).status_code == 302
    code = code_in(mailoutbox[0])
    wrong = "ZZZZ-ZZZZ" if code != "ZZZZ-ZZZZ" else "YYYY-YYYY"
    for _ in range(2):
        assert "Incorrect code." in client.post(RESET_CODE, {"code": wrong}).content.decode()
    response = client.post(RESET_CODE, {"code": wrong})
    assert response.status_code == 302 and response.url == LOGIN
    assert TOO_MANY in client.get(LOGIN).content.decode()

    response = client.post(RESET_CODE, {"code": code})  # a lucky guess now comes too late
    assert response.status_code == 302 and response.url == LOGIN
    form = client.get(RESET_DONE)
    assert form.status_code == 302 and form.url == reverse("account_reset_password")
    client.post(RESET_DONE, {"password1": "attackers-own-pass-1", "password2": "attackers-own-pass-1"})
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD)


def test_asking_for_reset_codes_again_and_again_is_cut_off(client, mailoutbox):
    """A fresh code means three fresh guesses, so the codes themselves are rationed: five a
    minute per address, from any IP."""
    victim = make_customer("victim@example.com")
    statuses = [ask_for_a_reset_code(client, victim.email).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert ask_for_a_reset_code(client, victim.email, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert len(mailoutbox) == 5
