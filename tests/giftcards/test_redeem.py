"""Redeeming a gift card: once, into the signed-in customer's wallet with a ledger row; every
wrong code answers the same; attempts are limited per customer and per client address."""

from decimal import Decimal

import pytest

from tests.fixtures.checkout import signed_in
from tests.giftcards.conftest import bought, redeem
from ticketing.models import GiftCard, GiftCardState
from ticketing.services.gift_codes import code_for
from wallet.models import TransactionKind, WalletTransaction

pytestmark = pytest.mark.django_db
UNKNOWN = "That gift card code is not valid. Check it and try again."


def test_the_recipient_redeems_it_into_their_wallet_once(issued, ravi, as_ravi):
    card, code = issued
    response = redeem(as_ravi, code.lower().replace("-", " "))  # case, spaces and dashes do not matter
    assert response.status_code == 200
    assert response.json() == {"credited": "1000.00", "balance": "1000.00"}
    entry = WalletTransaction.objects.get(wallet__user=ravi)
    assert (entry.kind, entry.amount, entry.balance_after) == (TransactionKind.GIFT_CARD, Decimal("1000.00"), Decimal("1000.00"))
    assert entry.reason == f"code ending {code[-4:]}"
    card.refresh_from_db()
    assert (card.state, card.redeemed_by, card.wallet_entry) == (GiftCardState.REDEEMED, ravi, entry)

    again = redeem(as_ravi, code)
    assert again.status_code == 409
    assert again.json()["detail"] == "This gift card has already been redeemed."
    assert WalletTransaction.objects.filter(wallet__user=ravi).count() == 1


def test_the_buyer_can_redeem_it_too_but_not_after_someone_else(issued, alice, as_alice, as_ravi):
    card, code = issued
    assert redeem(as_alice, code).status_code == 200
    assert redeem(as_ravi, code).status_code == 409


@pytest.mark.parametrize("code", ["AAAA-BBBB-CCCC-DDDD", "short", "0000-1111-OOOO-IIII", "ABCD-EFGH-JKLM-NPQR-STUV"])
def test_every_wrong_code_gets_the_same_answer(issued, as_ravi, code):
    response = redeem(as_ravi, code)
    assert response.status_code == 404
    assert response.json()["detail"] == UNKNOWN
    assert not WalletTransaction.objects.filter(wallet__user__username="ravi").exists()


def test_an_unpaid_cards_code_is_just_as_unknown(as_alice, as_ravi):
    card = GiftCard.objects.get(booking=bought(as_alice))
    response = redeem(as_ravi, code_for(card.seed))  # the code it would get, before it is paid
    assert (response.status_code, response.json()["detail"]) == (404, UNKNOWN)


def test_too_many_attempts_from_one_customer_are_a_429(issued, as_ravi, settings):
    settings.MARQUEE_GIFT_REDEEM_RATE = 3
    for _ in range(3):
        assert redeem(as_ravi, "AAAA-BBBB-CCCC-DDDD").status_code == 404
    card, code = issued
    response = redeem(as_ravi, code)  # even the right code waits out the minute
    assert response.status_code == 429
    assert response.json()["detail"] == "Too many gift card attempts. Please wait a minute and try again."
    assert 1 <= int(response["Retry-After"]) <= 60
    assert GiftCard.objects.get(pk=card.pk).state == GiftCardState.ISSUED


def test_too_many_attempts_from_one_address_are_a_429_across_accounts(issued, settings, db):
    from tests.factories import make_customer

    settings.MARQUEE_GIFT_REDEEM_RATE = 0
    settings.MARQUEE_GIFT_REDEEM_IP_RATE = 4
    for n in range(4):
        client = signed_in(make_customer(username=f"guesser{n}", email=f"g{n}@example.com"))
        assert redeem(client, "AAAA-BBBB-CCCC-DDDD", REMOTE_ADDR="203.0.113.9").status_code == 404
    other = signed_in(make_customer(username="guesser9", email="g9@example.com"))
    assert redeem(other, "AAAA-BBBB-CCCC-DDDD", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert redeem(other, "AAAA-BBBB-CCCC-DDDD", REMOTE_ADDR="198.51.100.7").status_code == 404


def test_the_limit_resets_with_the_minute(issued, as_ravi, settings, clock):
    from datetime import timedelta

    settings.MARQUEE_GIFT_REDEEM_RATE = 1
    assert redeem(as_ravi, "AAAA-BBBB-CCCC-DDDD").status_code == 404
    assert redeem(as_ravi, issued[1]).status_code == 429
    clock.shift(timedelta(minutes=1))
    assert redeem(as_ravi, issued[1]).status_code == 200


def test_signed_out_is_a_401(issued, client):
    assert redeem(client, issued[1]).status_code == 401


def test_the_account_page_redeems_and_shows_the_credit(issued, ravi, as_ravi):
    card, code = issued
    page = as_ravi.get("/account/").content.decode()
    assert 'action="/gift-cards/redeem/"' in page
    response = as_ravi.post("/gift-cards/redeem/", {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == "/account/#wallet"
    html = response.content.decode()
    assert "₹1,000.00 from the gift card is in your wallet" in html or "from the gift card is in your wallet" in html
    assert "Gift card redeemed" in html


@pytest.mark.parametrize(
    ("code", "status", "says"), [("AAAA-BBBB-CCCC-DDDD", 404, UNKNOWN), ("", 400, "This field is required.")]
)
def test_the_redeem_page_shows_refusals_with_their_status(issued, as_ravi, code, status, says):
    response = as_ravi.post("/gift-cards/redeem/", {"code": code})
    assert response.status_code == status
    assert says in response.content.decode()


def test_a_redeemed_code_on_the_page_is_a_409(issued, as_ravi):
    assert redeem(as_ravi, issued[1]).status_code == 200
    response = as_ravi.post("/gift-cards/redeem/", {"code": issued[1]})
    assert response.status_code == 409
    assert "already been redeemed" in response.content.decode()
