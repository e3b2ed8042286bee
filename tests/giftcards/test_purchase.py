"""Buying a gift card: the amount, recipient and message rules, paying through the one
checkout and finalizer (wallet, sandbox gateway), the code sent to the recipient only, no GST
and no tax invoice, and a purchase kept out of seat endpoints and ticket sales."""

from decimal import Decimal

import pytest
from django.core import mail

from core.booking_rules import BookingSettings
from tests.factories import make_customer
from tests.fixtures.checkout import callback, fund, pay, signed_in
from tests.giftcards.conftest import bought, buy, code_in
from ticketing.models import Booking, BookingState, GiftCard, GiftCardState, Invoice
from ticketing.services.gift_codes import digest_of
from wallet.models import Wallet

pytestmark = pytest.mark.django_db


def test_a_purchase_is_a_booking_with_no_show_awaiting_payment(as_alice, alice):
    response = buy(as_alice, amount=2500, recipient_phone="98765 43210", message="  Enjoy\nthe show ")
    assert response.status_code == 201
    data = response.json()
    assert data["state"] == "pending"
    assert data["booking_state"] == "held"
    assert data["amount"] == "2500.00"
    assert data["recipient_phone"] == "+919876543210"
    assert data["message"] == "Enjoy the show"
    assert data["code_ends"] is None
    assert data["pay_url"] == f"/api/bookings/{data['reference']}/pay"
    booking = Booking.objects.get(reference=data["reference"])
    assert (booking.user, booking.show, booking.seats, booking.is_gift_card) == (alice, None, [], True)
    detail = as_alice.get(f"/api/bookings/{booking.reference}").json()
    assert detail["show"] is None
    assert detail["quote"]["total"] == "2500.00"
    assert detail["quote"]["taxes"] == [] and detail["quote"]["fee"] == "0.00"
    assert as_alice.get(f"/api/gift-cards/{booking.reference}").json()["state"] == "pending"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": 99}, "between ₹100 and ₹10,000"),
        ({"amount": 10001}, "between ₹100 and ₹10,000"),
        ({"recipient_email": ""}, "recipient’s e-mail address or mobile number"),
        ({"recipient_email": "not-an-address"}, "valid e-mail address"),
        ({"recipient_email": "", "recipient_phone": "12345"}, "valid mobile number"),
        ({"recipient_email": "", "recipient_phone": "+14155550100"}, "Indian mobile numbers"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(as_alice, fields, message):
    response = buy(as_alice, **fields)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Booking.objects.exists() and not GiftCard.objects.exists()


@pytest.mark.parametrize(
    "body", [{"amount": 500.5}, {"amount": "a lot"}, {"amount": 500, "message": "x" * 301}, {"amount": 500, "extra": 1}]
)
def test_malformed_bodies_are_a_422(as_alice, body):
    response = as_alice.post("/api/gift-cards", {"recipient_email": "ravi@example.com"} | body, content_type="application/json")
    assert response.status_code == 422
    assert not GiftCard.objects.exists()


def test_the_bounds_come_from_booking_settings(as_alice):
    rules = BookingSettings.load()
    rules.gift_card_min, rules.gift_card_max = 500, 2000
    rules.save()
    assert "between ₹500 and ₹2,000" in buy(as_alice, amount=400).json()["detail"]
    assert buy(as_alice, amount=2000).status_code == 201
    rules.gift_cards_on_sale = False
    rules.save()
    assert buy(as_alice, amount=1000).json()["detail"] == "Gift cards are not on sale right now."


def test_bounds_out_of_order_are_a_form_error():
    from django.core.exceptions import ValidationError

    rules = BookingSettings.load()
    rules.gift_card_min, rules.gift_card_max = 5000, 1000
    with pytest.raises(ValidationError, match="at least the smallest"):
        rules.clean()


def test_an_unverified_customer_is_asked_to_confirm_their_address(db):
    client = signed_in(make_customer(username="new", email="new@example.com", verified=False))
    response = buy(client)
    assert response.status_code == 403
    assert not GiftCard.objects.exists()


def test_signed_out_is_a_401(client, db):
    assert buy(client).status_code == 401


def test_the_wallet_pays_and_the_finalizer_issues_the_code(as_alice, alice):
    fund(alice, 1500)
    booking = bought(as_alice, recipient_phone="9876543210")
    data = pay(as_alice, booking, use_wallet=True).json()
    assert data["state"] == "confirmed"
    card = GiftCard.objects.get(booking=booking)
    assert card.state == GiftCardState.ISSUED and card.issued_at is not None
    assert Wallet.objects.get(user=alice).balance == Decimal("500.00")
    # The recipient's e-mail carries the code; its digest (not the code) is stored.
    to_ravi = [m for m in mail.outbox if m.to == ["ravi@example.com"]]
    assert len(to_ravi) == 1 and to_ravi[0].subject.endswith(" sent you a Marquee gift card of ₹1,000")
    code = code_in(to_ravi[0])
    assert card.code_digest == digest_of(code) and card.code_last4 == code[-4:]
    assert code.replace("-", "") not in str(GiftCard.objects.filter(pk=card.pk).values().get())
    # The buyer gets a receipt that is not a tax invoice and never shows the whole code.
    to_alice = [m for m in mail.outbox if m.to == ["alice@example.com"]]
    assert [m.subject for m in to_alice] == [f"Your Marquee gift card {booking.reference} is on its way"]
    assert "not a tax invoice" in to_alice[0].body and code not in to_alice[0].body
    assert not Invoice.objects.filter(booking=booking).exists()
    assert GiftCard.objects.get(pk=card.pk).code_last4 in to_alice[0].body


def test_the_text_carries_the_code_and_the_sent_log_forgets_it(as_alice, alice):
    from messaging.models import SentMessage

    fund(alice, 1000)
    booking = bought(as_alice, recipient_email="", recipient_phone="9876543210")
    pay(as_alice, booking, use_wallet=True)
    text = SentMessage.objects.get(purpose="gift_card")
    assert (text.to_number, text.channel, text.status) == ("+919876543210", "sms", "sent")
    assert text.body == "[gift card code, not kept]"
    assert not [m for m in mail.outbox if m.to != ["alice@example.com"]]  # no e-mail without an address


def test_the_sandbox_gateway_pays_it_through_the_callback(as_alice, alice, sandbox):
    booking = bought(as_alice, amount=750)
    data = pay(as_alice, booking).json()
    assert (data["state"], data["amount"]) == ("payment_pending", 75000)
    assert as_alice.get(data["checkout_url"]).status_code == 200
    made = sandbox.pay(data["order_id"], succeed=True)
    response = callback(as_alice, sandbox, data["order_id"], made.payment_id)
    assert response["Location"] == f"/bookings/{booking.reference}/"
    assert as_alice.get(response["Location"])["Location"] == f"/gift-cards/{booking.reference}/"
    assert GiftCard.objects.get(booking=booking).state == GiftCardState.ISSUED
    assert Booking.objects.get(pk=booking.pk).state == BookingState.CONFIRMED
    page = as_alice.get(f"/gift-cards/{booking.reference}/").content.decode()
    assert "Paid and sent" in page


def test_a_failed_payment_issues_nothing(as_alice, sandbox):
    booking = bought(as_alice)
    data = pay(as_alice, booking).json()
    made = sandbox.pay(data["order_id"], succeed=False)
    from tests.fixtures.checkout import committed

    with committed():
        from ticketing.services.finalize import payment_failed

        payment_failed(order_id=data["order_id"], payment_id=made.payment_id, gateway=sandbox)
    assert GiftCard.objects.get(booking=booking).state == GiftCardState.PENDING
    assert Booking.objects.get(pk=booking.pk).state == BookingState.HELD
    assert [m.subject for m in mail.outbox] == [f"Payment for {booking.reference} did not go through"]


def test_an_unpaid_purchase_expires_with_the_sweep(as_alice, clock):
    from datetime import timedelta

    from ticketing.services.holds import expire_holds

    booking = bought(as_alice)
    clock.shift(timedelta(minutes=11))
    expire_holds()
    assert Booking.objects.get(pk=booking.pk).state == BookingState.EXPIRED
    response = pay(as_alice, booking)
    assert response.status_code == 400
    assert "Not paid in time" in as_alice.get(f"/gift-cards/{booking.reference}/").content.decode()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("put", "items", {"items": []}),
        ("post", "promo", {"code": "SAVE10"}),
        ("delete", "promo", None),
        ("post", "cancel", None),
    ],
)
def test_seat_food_promo_and_cancel_endpoints_refuse_a_purchase(as_alice, method, path, body):
    booking = bought(as_alice)
    kwargs = {"content_type": "application/json"} | ({"data": body} if body is not None else {})
    response = getattr(as_alice, method)(f"/api/bookings/{booking.reference}/{path}", **kwargs)
    assert response.status_code == 400
    assert "gift card purchase" in response.json()["detail"]


def test_someone_elses_card_is_a_404(as_alice, bob):
    booking = bought(as_alice)
    other = signed_in(bob)
    assert other.get(f"/api/gift-cards/{booking.reference}").status_code == 404
    assert other.get(f"/gift-cards/{booking.reference}/").status_code == 404
    assert other.post(f"/api/bookings/{booking.reference}/pay", {}, content_type="application/json").status_code == 404


def test_gift_card_sales_are_not_ticket_sales(as_alice, alice):
    from datetime import date

    from ticketing.reports.filters import Period
    from ticketing.reports.queries import get_paid_bookings

    fund(alice, 1000)
    pay(as_alice, bought(as_alice), use_wallet=True)
    assert not get_paid_bookings(Period(date(2026, 11, 1), date(2026, 11, 30))).exists()


def test_callback_and_webhook_together_issue_one_card_and_one_email(as_alice, alice, sandbox):
    from tests.fixtures.checkout import webhook
    from ticketing.models import SentEmail

    booking = bought(as_alice)
    data = pay(as_alice, booking).json()
    made = sandbox.pay(data["order_id"], succeed=True)
    assert webhook(as_alice, sandbox, "payment.captured", made).status_code == 200
    first = GiftCard.objects.get(booking=booking)
    callback(as_alice, sandbox, data["order_id"], made.payment_id)
    webhook(as_alice, sandbox, "payment.captured", made, event_id="evt_replayed")
    card = GiftCard.objects.get(booking=booking)
    assert (card.state, card.code_digest, card.issued_at) == (GiftCardState.ISSUED, first.code_digest, first.issued_at)
    assert SentEmail.objects.filter(kind="gift_card").count() == 1
    assert len([m for m in mail.outbox if m.to == ["ravi@example.com"]]) == 1


def test_the_account_page_lists_the_cards_bought(as_alice, alice):
    fund(alice, 1000)
    paid = bought(as_alice, amount=600)
    pay(as_alice, paid, use_wallet=True)
    waiting = bought(as_alice, amount=300, recipient_email="", recipient_phone="9876543210")
    html = as_alice.get("/account/").content.decode()
    assert f'href="/gift-cards/{paid.reference}/"' in html and f'href="/gift-cards/{waiting.reference}/"' in html
    assert "Issued" in html and "Waiting for payment" in html and "+919876543210" in html
