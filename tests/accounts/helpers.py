"""Small helpers for the account tests: customers as allauth leaves them, codes from e-mails."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from ticketing.models import Booking

PASSWORD = "popcorn-and-a-film-42"
CODE = re.compile(r"^ {4}(\S+)[ \t]*$", re.MULTILINE)  # the e-mails put the code alone on an indented line


def make_customer(email: str, password: str = PASSWORD, verified: bool = True):
    """A customer as sign-up leaves it: a generated username, the e-mail on the user and one
    primary allauth address (verified unless told otherwise)."""
    user = get_user_model().objects.create_user(username=email.split("@")[0], email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def code_in(message) -> str:
    """The one-time code from one of our e-mails (it sits alone on an indented line)."""
    match = CODE.search(message.body)
    assert match, f"no code in:\n{message.body}"
    return match.group(1)


def make_booking(user, show, state="confirmed", seats=("A1",), **kwargs) -> Booking:
    """A booking row as the services leave it (the account page only reads them)."""
    return Booking.objects.create(user=user, show=show, state=state, seats=list(seats), **kwargs)
