"""E-mail under failure, end to end: pay in the sandbox, the callback confirms, and the
confirmation's task runs through django-q2's broker (the ``cluster`` fixture).

* The ESP refuses: the booking is confirmed regardless, the sent-log row is ``failed``, the
  queue hands the task out again and it is sent once.
* The worker is killed in the middle of the send: the row is left ``sending`` exactly as a dead
  process leaves it; the queue re-delivers the task before the lease ends (nothing sent), and
  after the lease housekeeping re-queues it and the e-mail goes out once.
"""

from datetime import timedelta

import pytest
from anymail.backends.test import EmailBackend
from django.core import mail
from django_q.conf import Conf

from tests.emails.test_sent_once import esp_down
from tests.fixtures.checkout import committed, pay
from ticketing.models import Booking, BookingState, EmailStatus, SentEmail
from ticketing.services.housekeeping import housekeeping
from ticketing.services.mail import LEASE, message_id_for

pytestmark = pytest.mark.django_db
RETRY = timedelta(seconds=Conf.RETRY)  # Q_CLUSTER["retry"]: an unacknowledged task is handed out again


def checkout_in_the_sandbox(client, booking):
    """Pay, press "Pay" on the sandbox's checkout page (no webhook), post what it hands the
    browser to the callback, as Razorpay Checkout would. Returns the callback's response."""
    data = pay(client, booking).json()
    with committed():
        page = client.post(data["checkout_url"], {"action": "pay", "webhook": "0"})
    assert page.status_code == 200 and page.context["captured"]
    with committed():
        return client.post("/payments/razorpay/callback/", dict(page.context["fields"]))


def confirmation(booking) -> SentEmail:
    return SentEmail.objects.get(key=f"booking_confirmed:{booking.reference}")


def assert_confirmed(client, booking, response):
    assert response.status_code == 302 and response.url == f"/bookings/{booking.reference}/"
    booking = Booking.objects.get(pk=booking.pk)
    assert booking.state == BookingState.CONFIRMED
    assert booking.tickets.count() == 2
    assert "Your booking is <strong>confirmed</strong>" in client.get(response.url).content.decode()


def sent_confirmations(booking):
    return [m for m in mail.outbox if m.subject == f"Your booking {booking.reference} is confirmed"]


def runs(results):
    """(task name, outcome) of each task run; a failed task's outcome is False."""
    return [(name, result if success else False) for name, result, success in results]


# --- the ESP refuses ----------------------------------------------------------------------------
def test_the_esp_down_leaves_the_booking_confirmed_and_the_queue_sends_it_once(monkeypatch, cluster, clock, as_alice, held):
    esp_down(monkeypatch, times=1)
    response = checkout_in_the_sandbox(as_alice, held)
    key = f"booking_confirmed:{held.reference}"
    assert cluster.waiting() == [key]  # queued after the commit, not sent by the web request

    assert runs(cluster.run()) == [(key, False)]  # the ESP said 503: the task failed

    assert_confirmed(as_alice, held, response)
    row = confirmation(held)
    assert (row.status, row.attempts) == (EmailStatus.FAILED, 1)
    assert "ESP unavailable" in row.last_error
    assert mail.outbox == []
    assert cluster.waiting() == [key]  # not acknowledged: django-q2 keeps it

    assert cluster.run() == []  # not before the queue's retry time
    clock.shift(RETRY)
    assert runs(cluster.run()) == [(key, "sent")]

    row.refresh_from_db()
    assert (row.status, row.attempts, row.to_email) == (EmailStatus.SENT, 2, "alice@example.com")
    [message] = sent_confirmations(held)
    assert message.extra_headers["Message-ID"] == message_id_for(key)
    assert f"marquee-{held.reference}.pdf" in [name for name, *_ in message.attachments]
    assert cluster.waiting() == []
    clock.shift(timedelta(hours=1))
    assert housekeeping()["emails_requeued"] == 0
    assert cluster.run() == []
    assert len(mail.outbox) == 1


def test_the_queues_retry_and_housekeeping_both_going_for_a_failed_email_send_it_once(
    monkeypatch, cluster, clock, as_alice, held
):
    esp_down(monkeypatch, times=2)
    checkout_in_the_sandbox(as_alice, held)
    key = f"booking_confirmed:{held.reference}"
    assert runs(cluster.run()) == [(key, False)]
    clock.shift(RETRY)
    assert runs(cluster.run()) == [(key, False)]  # the ESP is still down on the first retry
    assert (confirmation(held).status, confirmation(held).attempts) == (EmailStatus.FAILED, 2)

    clock.shift(RETRY)
    assert housekeeping()["emails_requeued"] == 1  # the hourly sweep finds the failed row too
    assert cluster.waiting() == [key, key]

    assert sorted(runs(cluster.run())) == [(key, "not claimed"), (key, "sent")]
    assert len(sent_confirmations(held)) == 1
    row = confirmation(held)
    assert (row.status, row.attempts) == (EmailStatus.SENT, 3)
    assert cluster.waiting() == []
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED


# --- the worker dies mid-send -----------------------------------------------------------------------
class WorkerKilled(BaseException):  # noqa: N818 - named for what it stands for
    """The worker process killed (SIGKILL, out of memory) in the middle of a send: raised as a
    BaseException that no ``except Exception`` catches, so nothing after it runs — no status
    update, no task result, no acknowledgement — exactly as if the process were gone."""


def worker_killed_in_the_esp(monkeypatch, *, after_accepting=False):
    """The next send kills the worker: before the ESP accepted the message, or just after."""
    real = EmailBackend.post_to_esp
    calls = {"n": 0}

    def post(self, payload, message):
        calls["n"] += 1
        if calls["n"] == 1:
            if after_accepting:
                real(self, payload, message)
            raise WorkerKilled
        return real(self, payload, message)

    monkeypatch.setattr(EmailBackend, "post_to_esp", post)


def test_a_worker_killed_mid_send_is_taken_over_after_the_lease_and_the_email_goes_out_once(
    monkeypatch, cluster, clock, as_alice, held
):
    worker_killed_in_the_esp(monkeypatch)
    response = checkout_in_the_sandbox(as_alice, held)
    key = f"booking_confirmed:{held.reference}"

    with pytest.raises(WorkerKilled):
        cluster.run()

    assert_confirmed(as_alice, held, response)
    row = confirmation(held)
    claimed_at = row.claimed_at
    assert (row.status, row.attempts, row.sent_at) == (EmailStatus.SENDING, 1, None)
    assert claimed_at is not None
    assert mail.outbox == []
    assert cluster.waiting() == [key]  # never acknowledged

    # django-q2 hands the task out again after its retry time, well inside the lease: the live-
    # looking claim is respected, nothing is sent, and the queue is done with the task.
    assert RETRY < LEASE
    clock.shift(RETRY)
    assert runs(cluster.run()) == [(key, "not claimed")]
    assert cluster.waiting() == []
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.SENDING, 1)
    assert mail.outbox == []
    assert housekeeping()["emails_requeued"] == 0  # the claim is younger than the lease

    # After the lease, the hourly housekeeping re-queues it and it goes out, once.
    clock.move_to(claimed_at + LEASE + timedelta(seconds=1))
    assert housekeeping()["emails_requeued"] == 1
    assert runs(cluster.run()) == [(key, "sent")]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.SENT, 2)
    [message] = sent_confirmations(held)
    assert message.extra_headers["Message-ID"] == message_id_for(key)

    clock.shift(timedelta(hours=1))
    assert housekeeping()["emails_requeued"] == 0
    assert cluster.run() == []
    assert len(mail.outbox) == 1


def test_a_worker_killed_after_the_esp_accepted_resends_under_the_same_message_id(monkeypatch, cluster, clock, as_alice, held):
    """The one window no sent-log can close: the ESP took the message and the worker died
    before writing "sent". The take-over sends it again with the same Message-ID, so mail
    clients that de-duplicate by Message-ID show one e-mail (docs/DESIGN.md §3: mail.message_id_for)."""
    worker_killed_in_the_esp(monkeypatch, after_accepting=True)
    checkout_in_the_sandbox(as_alice, held)
    with pytest.raises(WorkerKilled):
        cluster.run()
    assert confirmation(held).status == EmailStatus.SENDING
    claimed_at = confirmation(held).claimed_at

    clock.move_to(claimed_at + LEASE + timedelta(seconds=1))
    assert housekeeping()["emails_requeued"] == 1
    cluster.run()

    first, second = sent_confirmations(held)
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"] == message_id_for(confirmation(held).key)
    assert confirmation(held).status == EmailStatus.SENT
    assert cluster.run() == [] and housekeeping()["emails_requeued"] == 0
