"""Gift card helpers: buy one through the API, pay it from the wallet, read its code from the
recipient's e-mail (the only place it is printed in full)."""

import re

import pytest

from tests.fixtures.checkout import committed, fund, pay, signed_in
from ticketing.models import Booking, GiftCard

CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")


def buy(client, amount=1000, **fields):
    body = {"amount": amount, "recipient_email": "ravi@example.com", "message": "Happy birthday!"} | fields
    return client.post("/api/gift-cards", body, content_type="application/json")


def bought(client, **fields) -> Booking:
    response = buy(client, **fields)
    assert response.status_code == 201, response.content
    return Booking.objects.get(reference=response.json()["reference"])


def code_in(message) -> str:
    found = CODE.findall(message.body)
    assert len(found) == 1, message.body
    return found[0]


@pytest.fixture
def issued(alice, as_alice):
    """Alice bought Ravi a ₹1,000 card and paid it from her wallet: (card, its code)."""
    from django.core import mail

    fund(alice, 1500)
    booking = bought(as_alice)
    assert pay(as_alice, booking, use_wallet=True).json()["state"] == "confirmed"
    to_ravi = [m for m in mail.outbox if m.to == ["ravi@example.com"]]
    return GiftCard.objects.get(booking=booking), code_in(to_ravi[0])


@pytest.fixture
def ravi(db):
    from tests.factories import make_customer

    return make_customer(username="ravi", email="ravi@example.com")


@pytest.fixture
def as_ravi(ravi):
    return signed_in(ravi)


def redeem(client, code, **extra):
    with committed():
        return client.post("/api/gift-cards/redeem", {"code": code}, content_type="application/json", **extra)
