"""The gift card pages: the buy form's errors (400, nothing written), the card's page before
and after payment, and a redeem form that needs a signed-in customer."""

import pytest

from core.booking_rules import BookingSettings
from tests.factories import make_customer
from tests.fixtures.checkout import signed_in
from ticketing.models import GiftCard

pytestmark = pytest.mark.django_db


def test_the_buy_form_says_what_is_wrong_and_writes_nothing(as_alice):
    response = as_alice.post("/gift-cards/", {"amount": "50", "recipient_email": "ravi@example.com"})
    assert response.status_code == 400
    assert "A gift card can be between ₹100 and ₹10,000." in response.content.decode()
    response = as_alice.post("/gift-cards/", {"amount": "500"})
    assert "Give the recipient’s e-mail address or mobile number." in response.content.decode()
    assert not GiftCard.objects.exists()


def test_the_buy_form_opens_the_card_to_pay(as_alice):
    page = as_alice.get("/gift-cards/").content.decode()
    assert "Whole rupees, ₹100 to ₹10,000." in page
    response = as_alice.post("/gift-cards/", {"amount": "1500", "recipient_email": "ravi@example.com", "message": "Hi"})
    card = GiftCard.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/gift-cards/{card.booking.reference}/"
    html = as_alice.get(response["Location"]).content.decode()
    assert "Waiting for payment." in html and "Pay ₹1,500.00" in html
    assert f'data-api-pay="/api/bookings/{card.booking.reference}/pay"' in html


def test_off_sale_and_unverified_say_so(as_alice, db):
    rules = BookingSettings.load()
    rules.gift_cards_on_sale = False
    rules.save()
    assert "Gift cards are not on sale right now." in as_alice.get("/gift-cards/").content.decode()
    rules.gift_cards_on_sale = True
    rules.save()
    newcomer = signed_in(make_customer(username="new", email="new@example.com", verified=False))
    assert "confirm your e-mail address" in newcomer.get("/gift-cards/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    for path in ("/gift-cards/", "/gift-cards/redeem/", "/gift-cards/MQABCDEFGH/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/gift-cards/redeem/", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 302


def test_an_odd_reference_is_a_404(as_alice):
    assert as_alice.get("/gift-cards/MQ%00/").status_code == 404
