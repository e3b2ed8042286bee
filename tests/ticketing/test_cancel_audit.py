"""Staff cancellations are written to Wagtail's audit log by the cancellation service itself, in
the transaction that cancels, so every way of cancelling (admin form, shell, a future API) is
recorded; a refused cancellation and a customer's own cancellation write none."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from tests.factories import make_user
from tests.tickets.conftest import confirm
from ticketing.errors import BookingError
from ticketing.models import BookingState
from ticketing.services import cancellation

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(as_alice, alice, show):
    return confirm(as_alice, alice, show, ["A1", "A2", "A3"])


@pytest.fixture
def finance(db):
    """A member of the Finance group exactly as `migrate` sets it up (it may cancel, not publish)."""
    user = make_user(username="fin", is_staff=True)
    user.groups.add(Group.objects.get(name="Finance"))
    return user


def test_a_staff_cancellation_is_logged_with_its_reason_and_outcome(confirmed, finance):
    booking = cancellation.cancel_booking(confirmed, destination="wallet", reason="  Customer asked ", by=finance)
    entry = ModelLogEntry.objects.get(action="booking.cancel")
    assert entry.object_id == str(confirmed.pk) and entry.user == finance
    assert entry.data == {"destination": "wallet", "reason": "Customer asked", "state": booking.state}
    assert booking.state == BookingState.REFUNDED


def test_a_refused_cancellation_logs_nothing(confirmed, finance):
    with pytest.raises(BookingError):
        cancellation.cancel_booking(confirmed, destination="bank", reason="x", by=finance)
    assert not ModelLogEntry.objects.filter(action="booking.cancel").exists()


def test_a_second_call_changes_nothing_and_logs_nothing_more(confirmed, finance):
    cancellation.cancel_booking(confirmed, destination="wallet", reason="once", by=finance)
    cancellation.cancel_booking(confirmed, destination="wallet", reason="twice", by=finance)
    assert ModelLogEntry.objects.filter(action="booking.cancel").count() == 1


def test_the_customers_own_cancellation_is_not_a_staff_entry(confirmed):
    cancellation.cancel_by_customer(confirmed)
    assert not ModelLogEntry.objects.filter(action="booking.cancel").exists()


def test_cancelling_a_show_logs_it_on_the_page_and_each_booking(confirmed, finance, as_alice, alice, show):
    second = confirm(as_alice, alice, show, ["B1"])
    count = cancellation.cancel_show(show, destination="wallet", reason="Projector broken", by=finance)
    assert count == 2
    entry = PageLogEntry.objects.get(action="show.cancel")
    assert entry.page_id == show.pk and entry.user == finance
    assert entry.data == {"destination": "wallet", "reason": "Projector broken", "bookings_cancelled": 2}
    logged = set(ModelLogEntry.objects.filter(action="booking.cancel").values_list("object_id", flat=True))
    assert logged == {str(confirmed.pk), str(second.pk)}


def test_finance_cancels_a_show_through_the_admin_form(client, confirmed, finance, show):
    """Finance may cancel a show without the right to publish pages: taking it off sale is part of it."""
    client.force_login(finance)
    response = client.post(reverse("bookings:cancel_show", args=[show.pk]), {"destination": "wallet", "reason": "No power"})
    assert response.status_code == 302
    assert PageLogEntry.objects.get(action="show.cancel").user == finance
    confirmed.refresh_from_db()
    assert confirmed.state == BookingState.REFUNDED
