"""What each e-mail says, HTML and plain text, for every kind the customer can receive."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import zxingcpp
from django.core import mail
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from tests.factories import make_show
from tests.fixtures.checkout import TOTAL_A1_A2, callback, committed, fund, pay
from ticketing.models import Booking, SentEmail
from ticketing.services.cancellation import cancel_show
from ticketing.services.holds import expire_holds, hold_seats
from ticketing.services.reminders import send_show_reminders
from wallet import services as wallet

pytestmark = pytest.mark.django_db


def html(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def last_for(user):
    return [m for m in mail.outbox if m.to == [user.email]][-1]


def confirm(client, user, booking):
    fund(user, 1000)
    assert pay(client, booking, use_wallet=True).json()["state"] == "confirmed"
    return Booking.objects.get(pk=booking.pk)


def test_confirmation_has_html_text_inline_qrs_and_the_pdf(as_alice, alice, held):
    booking = confirm(as_alice, alice, held)
    message = last_for(alice)
    assert message.subject == f"Your booking {booking.reference} is confirmed"
    tickets = list(booking.tickets.order_by("pk"))
    for text in (message.body, html(message)):
        assert "Dune" in text and "A1, A2" in text and booking.reference in text and "542.80" in text
        assert all(t.code in text for t in tickets)
    inline = [a for a in message.attachments if not isinstance(a, tuple) and a.get("Content-ID")]
    assert len(inline) == len(tickets) == 2
    assert all(f"cid:{a['Content-ID'][1:-1]}" in html(message) for a in inline)
    # The inline QR images decode (zxing-cpp) to the tickets' codes, in order.
    decoded = [zxingcpp.read_barcodes(Image.open(io.BytesIO(a.get_payload(decode=True))))[0].text for a in inline]
    assert decoded == [t.code for t in tickets]
    # One PDF attached, one page per ticket, each page carrying its ticket's code.
    pdfs = [a for a in message.attachments if isinstance(a, tuple)]
    assert [(name, mimetype) for name, _, mimetype in pdfs] == [(f"marquee-{booking.reference}.pdf", "application/pdf")]
    pages = PdfReader(io.BytesIO(pdfs[0][1])).pages
    assert len(pages) == len(tickets)
    assert all(t.code in page.extract_text() for page, t in zip(pages, tickets, strict=True))
    assert message.tags == ["booking_confirmed"]


def test_payment_failed_says_why_and_each_failed_order_is_told_once(as_alice, alice, held, sandbox):
    for _ in range(2):
        data = pay(as_alice, held).json()
        callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"], succeed=False).payment_id)
    failed = [m for m in mail.outbox if m.subject == f"Payment for {held.reference} did not go through"]
    assert len(failed) == 2
    assert "did not go through" in failed[0].body and "try again" in failed[0].body.lower()
    assert SentEmail.objects.filter(booking=held, kind="payment_failed").count() == 2


def test_late_refund_lists_both_parts(clock, as_alice, alice, bob, held, show, sandbox):
    fund(alice, 100)
    data = pay(as_alice, held, use_wallet=True).json()
    clock.shift(timedelta(minutes=12))
    hold_seats(bob, show, ["A2"])
    callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"]).payment_id)
    message = last_for(alice)
    assert message.subject == f"Your payment for {held.reference} has been refunded"
    assert "442.80" in message.body and "original payment method" in message.body
    assert "100.00 back to your Marquee wallet" in message.body


def test_cancellation_states_the_refund(as_alice, alice, held):
    confirm(as_alice, alice, held)
    with committed():
        as_alice.post(f"/api/bookings/{held.reference}/cancel")
    message = last_for(alice)
    assert message.subject == f"Booking {held.reference} is cancelled"
    assert f"{TOTAL_A1_A2}" in message.body and "Marquee wallet" in message.body
    assert "no longer admit" in html(message)


def test_show_cancelled_tells_every_customer_once(as_alice, alice, bob, held, show, admin_user):
    from tests.fixtures.checkout import signed_in

    confirm(as_alice, alice, held)
    bobs = hold_seats(bob, show, ["B1"]).booking
    confirm(signed_in(bob), bob, bobs)
    mail.outbox.clear()
    with committed():
        cancel_show(show, destination="wallet", reason="Projector failure", by=admin_user)
    with committed():
        cancel_show(show, destination="wallet", reason="Projector failure", by=admin_user)
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert subjects == [
        ("alice@example.com", f"The show for booking {held.reference} is cancelled"),
        ("bob@example.com", f"The show for booking {bobs.reference} is cancelled"),
    ]


def test_wallet_credit_by_finance_is_mailed_once(alice, admin_user):
    account = wallet.get_wallet(alice)
    for _ in range(2):  # a double-submitted form
        with committed():
            wallet.issue_staff_credit(
                account, Decimal("250"), kind="credit", reason="Sorry about the AC", by=admin_user, request_token="t" * 32
            )
    messages = [m for m in mail.outbox if m.to == ["alice@example.com"]]
    assert [m.subject for m in messages] == ["₹250.00 added to your Marquee wallet"]
    assert "Sorry about the AC" in messages[0].body and "₹250.00" in html(messages[0])


def test_reminders_go_once_to_confirmed_bookings_of_shows_starting_soon(movie, alice, bob, as_alice):
    from tests.fixtures.checkout import signed_in

    soon = make_show(movie=movie, starts_at=timezone.now() + timedelta(hours=2))
    later = make_show(movie=movie, starts_at=timezone.now() + timedelta(hours=6))
    mine = confirm(as_alice, alice, hold_seats(alice, soon, ["A1"]).booking)
    confirm(signed_in(bob), bob, hold_seats(bob, later, ["A1"]).booking)
    hold_seats(bob, soon, ["A5"])  # only held: no reminder
    mail.outbox.clear()

    with committed():
        assert send_show_reminders() == 1
    with committed():
        assert send_show_reminders() == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [(["alice@example.com"], f"Your show is today: booking {mine.reference}")]
    assert soon.screen.theater.title in mail.outbox[0].body


def test_customer_names_are_escaped_in_html(as_alice, alice, held):
    alice.first_name = '<script>alert("x")</script>'
    alice.save()
    confirm(as_alice, alice, held)
    body = html(last_for(alice))
    assert "<script>alert" not in body and "&lt;script&gt;" in body


def test_expired_hold_sends_nothing(clock, alice, held):
    clock.shift(timedelta(minutes=11))
    with committed():
        expire_holds()
    assert mail.outbox == []
