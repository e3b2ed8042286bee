"""Each e-mail goes out once per booking and kind, after the commit, and an ESP failure never
touches the booking: the sent-log row fails, the queue retries, and the retry sends once."""

import pytest
from anymail.exceptions import AnymailAPIError
from django.core import mail
from django.utils import timezone

from tests.fixtures.checkout import committed, fund, pay
from ticketing.mail.notifications import enqueue_email
from ticketing.models import Booking, BookingState, EmailStatus, SentEmail
from ticketing.services.housekeeping import housekeeping
from ticketing.services.mail import LEASE, claim, deliver, message_id_for
from ticketing.tasks import send_email_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(as_alice, alice, held):
    fund(alice, 1000)
    assert pay(as_alice, held, use_wallet=True).json()["state"] == "confirmed"
    return Booking.objects.get(pk=held.pk)


def test_confirmation_is_logged_and_sent_once(confirmed):
    key = f"booking_confirmed:{confirmed.reference}"
    row = SentEmail.objects.get(key=key)
    assert (row.status, row.kind, row.booking_id, row.to_email, row.attempts) == (
        "sent",
        "booking_confirmed",
        confirmed.pk,
        "alice@example.com",
        1,
    )
    assert row.message_id != "" and row.sent_at is not None
    message = mail.outbox[-1]
    assert message.extra_headers["Message-ID"] == message_id_for(key)
    assert message.metadata == {"sent_email": key}


def test_the_task_running_twice_sends_nothing_more(confirmed):
    key = f"booking_confirmed:{confirmed.reference}"
    assert len(mail.outbox) == 1
    assert send_email_task(key) == "not claimed"
    assert deliver(key) == "not claimed"
    with committed():
        assert enqueue_email(key, "booking_confirmed", booking_id=confirmed.pk, user_id=confirmed.user_id) is False
    assert len(mail.outbox) == 1
    assert SentEmail.objects.get(key=key).attempts == 1


def test_the_same_event_notified_twice_logs_one_row(confirmed):
    from ticketing.mail.notifications import notify

    with committed():
        notify(confirmed, "booking_confirmed")
        notify(confirmed, "booking_confirmed")
    assert SentEmail.objects.filter(booking=confirmed, kind="booking_confirmed").count() == 1
    assert len(mail.outbox) == 1


def esp_down(monkeypatch, times=1):
    """The ESP refuses the next `times` sends (Anymail's test backend, at its post step)."""
    from anymail.backends.test import EmailBackend

    real = EmailBackend.post_to_esp
    calls = {"n": 0}

    def post(self, payload, message):
        calls["n"] += 1
        if calls["n"] <= times:
            raise AnymailAPIError("ESP unavailable (503)")
        return real(self, payload, message)

    monkeypatch.setattr(EmailBackend, "post_to_esp", post)
    return calls


def test_esp_failure_leaves_the_booking_confirmed_and_a_retry_sends_once(monkeypatch, as_alice, alice, held):
    esp_down(monkeypatch, times=1)
    fund(alice, 1000)
    response = pay(as_alice, held, use_wallet=True)
    assert response.status_code == 200 and response.json()["state"] == "confirmed"

    key = f"booking_confirmed:{held.reference}"
    row = SentEmail.objects.get(key=key)
    assert row.status == EmailStatus.FAILED and "ESP unavailable" in row.last_error
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED
    assert mail.outbox == []

    # The queue retries the task (django-q2 re-delivers an unacknowledged failure).
    assert send_email_task(key) == "sent"
    assert send_email_task(key) == "not claimed"
    assert len(mail.outbox) == 1
    assert SentEmail.objects.get(key=key).status == EmailStatus.SENT


def test_with_the_esp_down_for_good_attempts_stop(monkeypatch, confirmed):
    esp_down(monkeypatch, times=100)
    key = f"payment_failed:{confirmed.reference}"
    SentEmail.objects.create(key=key, kind="payment_failed", booking=confirmed, user=confirmed.user)
    for _ in range(8):
        with pytest.raises(AnymailAPIError):
            deliver(key)
    assert deliver(key) == "not claimed"
    assert SentEmail.objects.get(key=key).attempts == 8


def test_housekeeping_requeues_a_failed_email(monkeypatch, as_alice, alice, held, clock):
    esp_down(monkeypatch, times=1)
    fund(alice, 1000)
    pay(as_alice, held, use_wallet=True)
    key = f"booking_confirmed:{held.reference}"
    assert SentEmail.objects.get(key=key).status == EmailStatus.FAILED

    clock.shift(LEASE)
    assert housekeeping()["emails_requeued"] == 1
    assert SentEmail.objects.get(key=key).status == EmailStatus.SENT
    assert len(mail.outbox) == 1
    assert housekeeping()["emails_requeued"] == 0


def test_a_worker_that_died_mid_send_is_taken_over_after_the_lease(confirmed, clock):
    key = "show_reminder:" + confirmed.reference
    SentEmail.objects.create(key=key, kind="show_reminder", booking=confirmed, user=confirmed.user)
    assert claim(key)  # a worker claimed it … and died
    assert not claim(key)  # a live claim is never doubled
    clock.shift(LEASE + timezone.timedelta(seconds=1))
    assert deliver(key) == "sent"
    assert [m.subject for m in mail.outbox].count(f"Your show is today: booking {confirmed.reference}") == 1


def test_a_customer_without_an_address_is_skipped(confirmed):
    confirmed.user.email = ""
    confirmed.user.save()
    key = f"booking_cancelled:{confirmed.reference}"
    SentEmail.objects.create(key=key, kind="booking_cancelled", booking=confirmed, user=confirmed.user)
    assert deliver(key) == "skipped"
    assert SentEmail.objects.get(key=key).status == EmailStatus.SKIPPED
