"""Finance and Box office re-send a confirmed booking's tickets from the admin; the booking's
page shows its tickets and the e-mails with their delivery status."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.factories import make_user
from tests.fixtures.checkout import committed, fund, pay
from ticketing.models import Booking, SentEmail

pytestmark = pytest.mark.django_db


def staff(group):
    user = make_user(username=group.lower().replace(" ", ""), email=f"{group[:3].lower()}@example.com")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def confirmed(as_alice, alice, held):
    fund(alice, 1000)
    pay(as_alice, held, use_wallet=True)
    return Booking.objects.get(pk=held.pk)


@pytest.mark.parametrize("group", ["Finance", "Box office"])
def test_staff_resend_the_tickets(client, confirmed, group):
    user = staff(group)
    client.force_login(user)
    url = reverse("bookings:resend_tickets", args=[confirmed.pk])
    assert client.get(url).status_code == 200
    with committed():
        response = client.post(url)
    assert response.status_code == 302
    confirmations = [m for m in mail.outbox if m.subject == f"Your booking {confirmed.reference} is confirmed"]
    assert len(confirmations) == 2
    assert any(a[0] == f"marquee-{confirmed.reference}.pdf" for a in confirmations[-1].attachments if isinstance(a, tuple))
    assert SentEmail.objects.filter(booking=confirmed, kind="booking_confirmed").count() == 2
    assert ModelLogEntry.objects.filter(action="booking.resend_tickets", user_id=user.pk).count() == 1


def test_without_the_permission_it_is_403(client, confirmed):
    client.force_login(make_user("wagtailadmin.access_admin", username="intern"))
    url = reverse("bookings:resend_tickets", args=[confirmed.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert SentEmail.objects.filter(booking=confirmed).count() == 1


def test_an_unconfirmed_booking_has_nothing_to_send(client, held):
    client.force_login(staff("Finance"))
    response = client.post(reverse("bookings:resend_tickets", args=[held.pk]))
    assert response.status_code == 200
    assert "Only a confirmed booking" in response.content.decode()
    assert not SentEmail.objects.filter(booking=held).exists()


def test_the_booking_page_lists_tickets_and_emails(client, confirmed):
    client.force_login(staff("Finance"))
    html = client.get(reverse("bookings:inspect", args=[confirmed.pk])).content.decode()
    for ticket in confirmed.tickets.all():
        assert ticket.code in html
    assert "booking_confirmed" in html and "Sent" in html
    assert reverse("bookings:resend_tickets", args=[confirmed.pk]) in html
