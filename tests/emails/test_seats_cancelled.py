"""Cancelling some seats of a booking e-mails the customer: which seats went, what this
cancellation refunded and where, and which seats still admit; once per cancellation."""

import pytest
from django.core import mail

from messaging.models import LanguagePreference, SentMessage
from messaging.phones import set_channels, set_phone
from tests.factories import make_layout, make_screen, make_show, row
from tests.fixtures.checkout import committed, fund
from tests.tickets.conftest import confirm
from ticketing.models import SentEmail
from ticketing.services import cancellation

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(as_alice, alice, show):
    booking = confirm(as_alice, alice, show, ["A1", "A2", "A3"])
    mail.outbox.clear()
    return booking


def test_cancelling_some_seats_says_which_went_what_came_back_and_what_stays(as_alice, booked):
    with committed():
        response = as_alice.post(f"/api/bookings/{booked.reference}/cancel", {"seats": ["A2"]}, content_type="application/json")
    assert response.status_code == 200, response.content
    [message] = mail.outbox
    assert message.subject == f"Some seats of booking {booked.reference} are cancelled"
    assert message.to == [booked.user.email]
    assert f"You cancelled seats A2 of booking {booked.reference}." in message.body
    assert "Your other seats, A1, A3, stay booked" in message.body
    assert "₹271.40 to your Marquee wallet" in message.body
    html = message.alternatives[0][0]
    assert "<strong>A2</strong>" in html and "<strong>A1, A3</strong>" in html
    row = SentEmail.objects.get(kind="seats_cancelled")
    assert (row.key, row.context["seats"]) == (f"seats_cancelled:{booked.reference}:A2", ["A2"])


def test_each_cancellation_lists_only_its_own_refund(booked):
    with committed():
        cancellation.cancel_by_customer(booked, ["A1"], "wallet")
    with committed():
        cancellation.cancel_by_customer(booked, ["A3"], "wallet")
    first, second = mail.outbox
    assert "seats A1 of" in first.body and "seats A3 of" in second.body
    assert "Your other seats, A2, A3," in first.body and "Your other seats, A2," in second.body
    assert second.body.count("₹271.40") == 1  # this cancellation's refund, not the first one's too


def test_the_rest_cancelled_sends_the_whole_booking_message_not_this_one(booked):
    with committed():
        cancellation.cancel_by_customer(booked, ["A1", "A2", "A3"], "wallet")
    assert [m.subject for m in mail.outbox] == [f"Booking {booked.reference} is cancelled"]


def test_a_refused_cancellation_sends_nothing(booked):
    with committed(), pytest.raises(Exception, match="not in this booking|not part of"):
        cancellation.cancel_by_customer(booked, ["Z9"], "wallet")
    assert mail.outbox == [] and not SentEmail.objects.filter(kind="seats_cancelled").exists()


def test_a_customer_who_chose_hindi_reads_it_in_hindi(alice, booked):
    LanguagePreference.objects.create(user=alice, language="hi")
    with committed():
        cancellation.cancel_by_customer(booked, ["A2"], "wallet")
    [message] = mail.outbox
    assert message.subject == f"बुकिंग {booked.reference} की कुछ सीटें रद्द हो गई हैं"
    assert f"आपने बुकिंग {booked.reference} की सीटें A2 रद्द कीं।" in message.body
    assert "आपकी बाकी सीटें, A1, A3, बुक रहेंगी" in message.body
    assert "You cancelled" not in message.body


def test_many_long_labels_still_make_a_key_the_sent_log_holds(as_alice, alice):
    """20 seats labelled ABC100–ABC119 (the most one booking may hold): 19 cancelled would be
    135 characters of labels alone; the sent-log's key holds 120."""
    layout = make_layout(rows=[row("ABC", 20, "Classic", first_number=100)], categories=["Classic"])
    wide = make_show(screen=make_screen(seat_layout=layout, name="Wide"), max_per_booking=20)
    labels = [f"ABC{n}" for n in range(100, 120)]
    fund(alice, 5000)  # 20 seats cost more than the 3,000 confirm() adds
    booking = confirm(as_alice, alice, wide, labels)
    mail.outbox.clear()
    with committed():
        cancellation.cancel_by_customer(booking, labels[:19], "wallet")
    row_ = SentEmail.objects.get(kind="seats_cancelled")
    assert len(row_.key) <= 120 and row_.context["seats"] == labels[:19]
    assert f"You cancelled seats {', '.join(labels[:19])} of booking" in mail.outbox[0].body


def test_a_customer_who_chose_sms_is_texted_too(alice, booked):
    set_phone(alice, "+919876543210", verified=True)
    set_channels(alice, sms=True, whatsapp=False)
    with committed():
        cancellation.cancel_by_customer(booked, ["A2"], "wallet")
    text = SentMessage.objects.get(purpose="seats_cancelled")
    assert text.key == f"seats_cancelled:{booked.reference}:A2:sms" and text.to_number == "+919876543210"
    assert f"some seats of booking {booked.reference} for Dune are cancelled; seats A1, A3 still admit" in text.body
