"""The Twilio backend, with its SDK's HTTP intercepted at the requests transport: the request
it would send (To, From or MessagingServiceSid, Body, basic auth) and the sid it records."""

import base64
import json
from urllib.parse import parse_qs

import pytest
import requests

from messaging.delivery import queue_text
from messaging.models import MessageStatus, SentMessage

pytestmark = pytest.mark.django_db
NUMBER = "+919876543210"


@pytest.fixture
def twilio(settings, monkeypatch):
    settings.MESSAGING_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "secret-token"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.MESSAGING_SMS_SENDER = "MRQUEE"
    settings.MESSAGING_WHATSAPP_SENDER = "+14155238886"
    sent = []

    def send(session, prepared, **kwargs):
        sent.append(prepared)
        response = requests.Response()
        response.status_code = 201
        response._content = json.dumps({"sid": f"SM{len(sent):032d}", "status": "queued"}).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = prepared.url
        response.request = prepared
        return response

    monkeypatch.setattr(requests.Session, "send", send)
    return sent


def form(prepared) -> dict:
    return {key: values[0] for key, values in parse_qs(prepared.body).items()}


def test_an_sms_goes_from_the_sender_id(twilio, settings):
    queue_text("booking_confirmed:MQ1:sms", purpose="booking_confirmed", channel="sms", to=NUMBER, body="Booking MQ1 confirmed")
    (request,) = twilio
    assert request.method == "POST"
    assert request.url == f"https://api.twilio.com/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages.json"
    assert form(request) == {"To": NUMBER, "From": "MRQUEE", "Body": "Booking MQ1 confirmed"}
    auth = base64.b64encode(f"{settings.TWILIO_ACCOUNT_SID}:secret-token".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {auth}"
    row = SentMessage.objects.get()
    assert (row.status, row.provider_id) == (MessageStatus.SENT, f"SM{1:032d}")


def test_a_messaging_service_replaces_the_sender(twilio, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    queue_text("k:sms", purpose="show_reminder", channel="sms", to=NUMBER, body="Your show is today")
    assert form(twilio[0]) == {"To": NUMBER, "MessagingServiceSid": "MG" + "1" * 32, "Body": "Your show is today"}


def test_whatsapp_numbers_carry_the_prefix(twilio):
    queue_text("k:whatsapp", purpose="booking_confirmed", channel="whatsapp", to=NUMBER, body="Booking confirmed")
    assert form(twilio[0]) == {"To": f"whatsapp:{NUMBER}", "From": "whatsapp:+14155238886", "Body": "Booking confirmed"}


def test_a_twilio_error_fails_the_row(settings, monkeypatch):
    settings.MESSAGING_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC" + "0" * 32, "secret-token"
    settings.MESSAGING_SMS_SENDER = "MRQUEE"

    def refused(session, prepared, **kwargs):
        response = requests.Response()
        response.status_code = 400
        response._content = json.dumps({"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}).encode()
        return response

    monkeypatch.setattr(requests.Session, "send", refused)
    queue_text("k:sms", purpose="booking_confirmed", channel="sms", to=NUMBER, body="x")
    row = SentMessage.objects.get()
    assert row.status == MessageStatus.FAILED and "Invalid 'To' Phone Number" in row.last_error


def test_missing_credentials_fail_the_row_not_the_caller(settings):
    settings.MESSAGING_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = ""
    assert queue_text("k:sms", purpose="booking_confirmed", channel="sms", to=NUMBER, body="x") is True
    assert "TWILIO_ACCOUNT_SID" in SentMessage.objects.get().last_error
