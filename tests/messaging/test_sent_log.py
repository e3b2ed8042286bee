"""Each text goes out once per key; a provider failure marks the row failed (never the booking),
the queue and the sweep retry it with a growing wait, and the retry sends once."""

from datetime import timedelta

import pytest

from messaging.backends import ConsoleBackend
from messaging.delivery import deliver, queue_text, retry_stale_texts
from messaging.models import MessageStatus, SentMessage

pytestmark = pytest.mark.django_db
NUMBER = "+919876543210"


def queue(key="booking_confirmed:MQTEST:sms"):
    return queue_text(key, purpose="booking_confirmed", channel="sms", to=NUMBER, body="Booking MQTEST confirmed")


def test_once_per_key(settings):
    settings.MESSAGING_DLT_TEMPLATES = {"booking_confirmed": "1107160000000000001"}
    assert queue() is True
    assert queue() is False
    row = SentMessage.objects.get()
    assert (row.status, row.attempts, row.template_id) == (MessageStatus.SENT, 1, "1107160000000000001")
    assert row.provider_id.startswith("console-")
    assert len(ConsoleBackend.sent) == 1
    assert ConsoleBackend.sent[0]["template_id"] == "1107160000000000001"
    assert deliver(row.key) == "not claimed"
    assert len(ConsoleBackend.sent) == 1


def test_a_provider_failure_is_recorded_and_retried(monkeypatch, clock):
    def down(self, to, body, channel, template_id=""):
        raise ConnectionError("provider unreachable")

    monkeypatch.setattr(ConsoleBackend, "send", down)
    queue()  # the synchronous task fails: the row says why
    row = SentMessage.objects.get()
    assert row.status == MessageStatus.FAILED and row.attempts == 1
    assert "provider unreachable" in row.last_error
    monkeypatch.undo()

    assert retry_stale_texts() == 0  # too soon: 2 minutes after the first failure
    clock.shift(timedelta(minutes=3))
    assert retry_stale_texts() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.SENT, 2, "")
    assert len(ConsoleBackend.sent) == 1
    assert retry_stale_texts() == 0


def test_the_wait_grows_after_each_failure(monkeypatch, clock):
    def down(self, to, body, channel, template_id=""):
        raise ConnectionError("down")

    monkeypatch.setattr(ConsoleBackend, "send", down)
    queue()
    clock.shift(timedelta(minutes=3))
    assert retry_stale_texts() == 1  # attempt 2 fails as well
    clock.shift(timedelta(minutes=3))
    assert retry_stale_texts() == 0  # after two failures it waits 4 minutes
    clock.shift(timedelta(minutes=2))
    assert retry_stale_texts() == 1
    row = SentMessage.objects.get()
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 3)


def test_one_time_codes_are_not_kept_in_the_log():
    queue_text("otp:x", purpose="otp", channel="sms", to=NUMBER, body="123456 is your Marquee code.")
    assert SentMessage.objects.get().body == "[one-time code, not kept]"
    assert ConsoleBackend.sent[-1]["body"].startswith("123456")
