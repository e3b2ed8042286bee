"""E-mails are written in the language the customer chose on the site (messaging.languages):
Hindi for a customer who switched to it, English for everyone else."""

import pytest
from django.core import mail

from messaging.models import LanguagePreference
from tests.emails.test_kinds import confirm, html, last_for

pytestmark = pytest.mark.django_db


def test_a_customer_who_chose_hindi_gets_the_confirmation_in_hindi(as_alice, alice, held):
    LanguagePreference.objects.create(user=alice, language="hi")
    booking = confirm(as_alice, alice, held)
    message = last_for(alice)
    assert message.subject == f"आपकी बुकिंग {booking.reference} पक्की हो गई है"
    for text in (message.body, html(message)):
        assert "आपकी सीटें बुक हो गई हैं" in text and "कुल" in text
        assert booking.reference in text and "A1, A2" in text and "542.80" in text  # the facts stay as they are
        assert "Your seats are booked" not in text
    assert '<html lang="hi">' in html(message)
    assert all(ticket.code in message.body for ticket in booking.tickets.all())


def test_everyone_else_gets_english_and_a_language_no_longer_offered_falls_back(as_alice, alice, held):
    LanguagePreference.objects.create(user=alice, language="ta")
    booking = confirm(as_alice, alice, held)
    message = last_for(alice)
    assert message.subject == f"Your booking {booking.reference} is confirmed"
    assert "Your seats are booked" in message.body and '<html lang="en-IN">' in html(message)
    assert len(mail.outbox) == 1
