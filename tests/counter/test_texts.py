"""A counter sale's texts go to the phone the walk-in customer gave, by SMS, never to the
selling staff member's own number (the booking's user), even when that staff member opted in."""

import pytest

from messaging.models import SentMessage
from messaging.phones import set_channels, set_phone
from tests.counter.conftest import sell_cash
from ticketing.services import counter_sales

pytestmark = pytest.mark.django_db
STAFF_NUMBER = "+919876543210"


@pytest.fixture
def opted_in_seller(seller):
    set_phone(seller, STAFF_NUMBER, verified=True)
    set_channels(seller, sms=True, whatsapp=True)
    return seller


def test_sale_texts_the_customer_not_the_seller(opted_in_seller, shift, show, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = sell_cash(opted_in_seller, show, phone="98200 12345").booking
    (text,) = SentMessage.objects.all()
    assert (text.to_number, text.channel, text.purpose) == ("+919820012345", "sms", "booking_confirmed")
    assert text.user_id is None and text.booking_reference == booking.reference
    assert not SentMessage.objects.filter(to_number=STAFF_NUMBER).exists()


def test_void_texts_the_customer_too(opted_in_seller, shift, show, supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = sell_cash(opted_in_seller, show, phone="+91 98200 12345").booking
        counter_sales.void_sale(supervisor, booking.reference, "Wrong show")
    assert sorted(SentMessage.objects.values_list("purpose", "to_number")) == [
        ("booking_cancelled", "+919820012345"),
        ("booking_confirmed", "+919820012345"),
    ]


@pytest.mark.parametrize("phone", ["", "+1 415 555 0100", "022 2640 1234"])
def test_no_phone_or_one_we_do_not_text_sends_nothing(opted_in_seller, shift, show, phone, django_capture_on_commit_callbacks):
    """No number, a foreign one, a landline: no text at all — and none to the seller."""
    with django_capture_on_commit_callbacks(execute=True):
        sell_cash(opted_in_seller, show, phone=phone)
    assert not SentMessage.objects.exists()
