"""Gift card journey in a real browser, with screenshots: a customer buys a ₹1,500 gift card
for a friend and pays in the sandbox; the task cluster e-mails the code to the friend, who
signs in, redeems it on the account page and sees it in the wallet; the same code a second
time is refused.

Screenshots: ``artifacts/e2e/7-gift-card--<nn>-<step>.png``.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import make_customer, signed_in_page  # noqa: E402
from ticketing.models import Booking, BookingState, GiftCard, GiftCardState  # noqa: E402
from wallet.models import TransactionKind, Wallet  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")


def test_a_gift_card_is_bought_paid_in_the_sandbox_and_redeemed_into_the_friends_wallet(
    live_server, browser, shots, task_cluster
):
    shots = shots("7-gift-card")
    asha = make_customer("asha", email="asha@example.com", first_name="Asha")
    ravi = make_customer("ravi", email="ravi@example.com", first_name="Ravi")

    # Asha fills in the gift card form.
    page = signed_in_page(browser, live_server, asha)
    page.goto(live_server.url + "/gift-cards/")
    expect(page.get_by_role("heading", name="Give a gift card")).to_be_visible()
    page.get_by_label("Amount (₹)").fill("1500")
    page.get_by_label("Recipient’s e-mail address").fill("ravi@example.com")
    page.get_by_label("Message").fill("Happy birthday! Enjoy a film on me.")
    shots(page, "buy-form")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r".*/gift-cards/MQ[A-Z0-9]+/$"))
    booking = Booking.objects.get(user=asha, show=None)
    expect(page.locator("[data-gift-state]")).to_have_text("Waiting for payment.")
    shots(page, "awaiting-payment")

    # She pays in the sandbox; the callback brings her back to the card, paid and sent.
    page.get_by_role("button", name="Pay ₹1,500.00").click()
    page.wait_for_url("**/payments/sandbox/**")
    expect(page.get_by_role("heading", name="Marquee gift card")).to_be_visible()
    shots(page, "sandbox-checkout")
    page.get_by_role("button", name="Pay ₹1,500.00").click()
    page.wait_for_url(f"**/gift-cards/{booking.reference}/")
    expect(page.locator("[data-gift-state]")).to_contain_text("Paid and sent")
    card = GiftCard.objects.get(booking=booking)
    assert card.state == GiftCardState.ISSUED
    assert Booking.objects.get(pk=booking.pk).state == BookingState.CONFIRMED
    shots(page, "paid-and-sent")
    assert page.js_errors == []

    # The cluster e-mailed Ravi the code (and Asha a receipt without it).
    letter = task_cluster.email(f"gift_card:{booking.reference}")
    assert letter["To"] == "ravi@example.com"
    text = letter.get_body(("plain",)).get_content()
    assert "Happy birthday! Enjoy a film on me." in text
    (code,) = CODE.findall(text)
    receipt = task_cluster.email(f"gift_card_bought:{booking.reference}")
    assert code not in receipt.get_body(("plain",)).get_content()

    # Ravi signs in and redeems it on his account page.
    friend = signed_in_page(browser, live_server, ravi)
    friend.goto(live_server.url + "/account/")
    expect(friend.get_by_role("heading", name="Redeem a gift card")).to_be_visible()
    friend.get_by_label("Gift card code").fill(code.lower())
    shots(friend, "redeem-form")
    friend.get_by_role("button", name="Redeem into my wallet").click()
    friend.wait_for_url("**/account/#wallet")
    expect(friend.locator(".wallet-balance")).to_have_text("₹1,500.00")
    expect(friend.locator(".wallet-ledger").first).to_contain_text(f"Gift card redeemed: code ending {code[-4:]}")
    shots(friend, "wallet-credited")
    wallet = Wallet.objects.get(user=ravi)
    assert wallet.balance == Decimal("1500.00")
    assert wallet.transactions.get().kind == TransactionKind.GIFT_CARD

    # The same code again: refused, nothing credited.
    friend.get_by_label("Gift card code").fill(code)
    friend.get_by_role("button", name="Redeem into my wallet").click()
    expect(friend.locator(".field__errors")).to_contain_text("This gift card has already been redeemed.")
    shots(friend, "redeemed-twice-refused")
    assert Wallet.objects.get(user=ravi).balance == Decimal("1500.00")
    assert friend.js_errors == []
