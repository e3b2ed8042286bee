"""Booking texts go on the channels the customer chose, after the commit, once each; only a
verified number can be chosen; staff without the permission see the number masked."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.settings.guards import production_problems
from messaging.backends import ConsoleBackend
from messaging.delivery import queue_text
from messaging.models import MobileNumber, SentMessage
from messaging.phones import masked, set_channels, set_phone
from tests.factories import make_user
from tests.fixtures.checkout import fund, pay
from ticketing.mail.notifications import notify
from ticketing.models import Booking

pytestmark = pytest.mark.django_db
NUMBER = "+919876543210"


def confirm(client, user, booking):
    fund(user, 1000)
    assert pay(client, booking, use_wallet=True).json()["state"] == "confirmed"
    return Booking.objects.get(pk=booking.pk)


def test_texts_follow_the_chosen_channels(as_alice, alice, held):
    set_phone(alice, NUMBER, verified=True)
    set_channels(alice, sms=True, whatsapp=False)
    booking = confirm(as_alice, alice, held)
    (text,) = SentMessage.objects.all()
    assert (text.key, text.channel, text.to_number, text.status) == (
        f"booking_confirmed:{booking.reference}:sms",
        "sms",
        NUMBER,
        "sent",
    )
    assert text.booking_reference == booking.reference
    assert f"http://testserver/bookings/{booking.reference}/" in text.body
    assert ConsoleBackend.sent[-1]["body"] == text.body


def test_both_channels_and_once_per_event(as_alice, alice, held, django_capture_on_commit_callbacks):
    set_phone(alice, NUMBER, verified=True)
    set_channels(alice, sms=True, whatsapp=True)
    booking = confirm(as_alice, alice, held)
    assert sorted(SentMessage.objects.values_list("channel", flat=True)) == ["sms", "whatsapp"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(booking, "booking_confirmed")  # the event again: nothing more
        notify(booking, "show_reminder")
    assert SentMessage.objects.count() == 4
    assert SentMessage.objects.filter(purpose="show_reminder").count() == 2


def test_no_texts_without_a_choice(as_alice, alice, held):
    set_phone(alice, NUMBER, verified=True)
    confirm(as_alice, alice, held)
    assert not SentMessage.objects.exists()


def test_only_a_verified_number_can_be_chosen(client, alice):
    set_phone(alice, NUMBER, verified=False)
    with pytest.raises(ValidationError):
        set_channels(alice, sms=True, whatsapp=False)
    client.force_login(alice)
    response = client.post(reverse("customer_text_channels"), {"sms": "on"}, follow=True)
    assert "Verify your mobile number" in response.content.decode()
    assert MobileNumber.objects.get(user=alice).sms_opt_in is False


def test_the_account_page_saves_the_choice(client, alice):
    set_phone(alice, NUMBER, verified=True)
    client.force_login(alice)
    response = client.post(reverse("customer_text_channels"), {"whatsapp": "on"})
    assert response.status_code == 302
    row = MobileNumber.objects.get(user=alice)
    assert (row.sms_opt_in, row.whatsapp_opt_in) == (False, True)
    assert client.get(reverse("customer_text_channels")).status_code == 405


def test_a_new_number_turns_texts_off(alice):
    set_phone(alice, NUMBER, verified=True)
    set_channels(alice, sms=True, whatsapp=True)
    set_phone(alice, "+919812345678", verified=False)
    row = MobileNumber.objects.get(user=alice)
    assert (row.verified, row.sms_opt_in, row.whatsapp_opt_in) == (False, False, False)


def test_masked_number():
    assert masked(NUMBER) == "+91 ••••• ••210"


def staff(group):
    user = make_user(username=group.lower().replace(" ", ""), email=f"{group[:3].lower()}@example.com")
    user.groups.add(Group.objects.get(name=group))
    return user


def test_the_booking_page_masks_the_number_without_the_permission(client, as_alice, alice, held):
    set_phone(alice, NUMBER, verified=True)
    set_channels(alice, sms=True, whatsapp=False)
    booking = confirm(as_alice, alice, held)
    url = reverse("bookings:inspect", args=[booking.pk])

    client.force_login(staff("Finance"))
    html = client.get(url).content.decode()
    assert NUMBER in html and "SMS and WhatsApp" in html

    client.force_login(make_user("wagtailadmin.access_admin", "ticketing.view_booking", username="viewer"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert NUMBER not in html and "+91 ••••• ••210" in html


def test_production_refuses_twilio_without_its_credentials():
    base = {"MESSAGING_BACKEND": "twilio"}
    (problem,) = [p for p in production_problems(base) if p.startswith("MESSAGING_BACKEND")]
    assert "TWILIO_ACCOUNT_SID" in problem and "TWILIO_AUTH_TOKEN" in problem and "MESSAGING_SMS_SENDER" in problem
    complete = {**base, "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "MESSAGING_SMS_SENDER": "MRQUEE"}
    assert not [p for p in production_problems(complete) if p.startswith("MESSAGING_BACKEND")]
    assert [p for p in production_problems({"MESSAGING_BACKEND": "carrier-pigeon"}) if p.startswith("MESSAGING_BACKEND")]


def test_failed_texts_are_listed_for_staff_masked(client, alice, monkeypatch):
    set_phone(alice, NUMBER, verified=True)

    def down(self, to, body, channel, template_id=""):
        raise ConnectionError("provider unreachable")

    monkeypatch.setattr(ConsoleBackend, "send", down)
    queue_text(
        "booking_confirmed:MQFAIL:sms",
        purpose="booking_confirmed",
        channel="sms",
        to=NUMBER,
        body="x",
        booking_reference="MQFAIL",
    )
    client.force_login(make_user("wagtailadmin.access_admin", "messaging.view_sentmessage", username="viewer"))
    response = client.get(reverse("texts:index"), {"status": "failed"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "MQFAIL" in html and "provider unreachable" in html and "+91 ••••• ••210" in html and NUMBER not in html
    client.force_login(staff("Finance"))
    assert NUMBER in client.get(reverse("texts:index")).content.decode()
    client.force_login(make_user("wagtailadmin.access_admin", username="intern"))
    assert client.get(reverse("texts:index")).status_code == 403
