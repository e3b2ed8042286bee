"""Staff re-send a gift card's code to its recipient from the booking's admin page (the tickets'
re-send, for a purchase): a fresh e-mail and text each time, audited, and only while the code
can still be redeemed."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from messaging.models import SentMessage
from tests.factories import make_user
from tests.fixtures.checkout import committed, fund, pay
from tests.giftcards.conftest import bought, code_in, redeem
from ticketing.models import SentEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def box_office(client):
    user = make_user(username="box", email="box@example.com")
    user.groups.add(Group.objects.get(name="Box office"))
    client.force_login(user)
    return client


def resend_url(card):
    return reverse("bookings:resend_tickets", args=[card.booking_id])


def test_the_recipient_gets_the_same_code_again(box_office, issued):
    card, code = issued
    page = box_office.get(resend_url(card)).content.decode()
    assert "Send the code of gift card" in page and "ravi@example.com" in page and "Re-send gift card" in page
    mail.outbox.clear()
    with committed():
        response = box_office.post(resend_url(card))
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["ravi@example.com"] and code_in(message) == code
    assert SentEmail.objects.filter(booking=card.booking, kind="gift_card").count() == 2
    assert not SentEmail.objects.filter(booking=card.booking, kind="booking_confirmed").exists()
    entry = ModelLogEntry.objects.get(action="booking.resend_gift_card")
    assert entry.data["message"].startswith(f"gift_card:{card.booking.reference}:resend-")
    with committed():
        box_office.post(resend_url(card))
    assert len(mail.outbox) == 2  # each re-send is its own message


def test_a_card_for_a_phone_is_texted_again(box_office, alice, as_alice):
    fund(alice, 1500)
    booking = bought(as_alice, recipient_email="", recipient_phone="+919820012345")
    pay(as_alice, booking, use_wallet=True)
    with committed():
        box_office.post(reverse("bookings:resend_tickets", args=[booking.pk]))
    texts = SentMessage.objects.filter(booking_reference=booking.reference, purpose="gift_card")
    assert texts.count() == 2 and {t.to_number for t in texts} == {"+919820012345"}


def test_a_redeemed_card_is_not_sent_again(box_office, issued, as_ravi):
    card, code = issued
    redeem(as_ravi, code)
    mail.outbox.clear()
    with committed():
        response = box_office.post(resend_url(card))
    assert response.status_code == 200
    assert "was redeemed already: its code no longer works" in response.content.decode()
    assert mail.outbox == [] and not ModelLogEntry.objects.filter(action="booking.resend_gift_card").exists()


def test_the_booking_page_offers_the_gift_cards_re_send(box_office, issued):
    card, _ = issued
    finance = make_user(username="fin", email="fin@example.com")
    finance.groups.add(Group.objects.get(name="Finance"))
    box_office.force_login(finance)
    page = box_office.get(reverse("bookings:inspect", args=[card.booking_id])).content.decode()
    assert "Re-send gift card" in page and "Re-send tickets" not in page
