"""/account/: the customer's address and their own bookings, upcoming and past, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from home.views import PAST_PER_PAGE
from tests.accounts.helpers import code_in, make_booking, make_customer
from tests.factories import local_dt, make_show, make_user

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("customer_account")


@pytest.fixture
def shows(movie, screen, clock):
    """Three shows (Sat, Mon, Wed at 18:00), then the clock moves to Sunday 10:00 IST:
    the first has been, the other two are still to come."""
    made = [make_show(movie=movie, screen=screen, starts_at=local_dt(2026, 11, day, 18)) for day in (21, 23, 25)]
    clock.move_to(local_dt(2026, 11, 22, 10))
    return made


def refs(bookings):
    return [booking.reference for booking in bookings]


def test_needs_a_signed_in_customer(client):
    response = client.get(ACCOUNT)
    assert response.status_code == 302 and response.url == f"{reverse('account_login')}?next={ACCOUNT}"


def test_lists_upcoming_and_past_bookings_of_its_owner_only(client, customer, shows):
    been, monday, wednesday = shows
    now = timezone.now()
    soon = now + timedelta(minutes=8)
    mine = {
        "confirmed_wed": make_booking(customer, wednesday, "confirmed", ["B1", "B2"]),
        "held_mon": make_booking(customer, monday, "held", ["A4"], held_until=soon),
        "paying_mon": make_booking(customer, monday, "payment_pending", ["A5"]),
        "seen": make_booking(customer, been, "confirmed", ["A1", "A2"]),
        "cancelled": make_booking(customer, monday, "cancelled", ["A7"]),
        "refunded": make_booking(customer, wednesday, "refunded", ["A8"]),
        "expired": make_booking(customer, wednesday, "expired", ["A9"]),
        "lapsed_hold": make_booking(customer, wednesday, "held", ["A10"], held_until=now - timedelta(seconds=1)),
    }
    other = make_customer("eve@example.com")
    theirs = [make_booking(other, monday, "confirmed", ["B9"]), make_booking(other, been, "confirmed", ["B8"])]

    client.force_login(customer)
    response = client.get(ACCOUNT)
    assert response.status_code == 200
    ctx = response.context
    assert refs(ctx["upcoming"]) == refs([mine["held_mon"], mine["paying_mon"], mine["confirmed_wed"]])  # soonest first
    assert set(refs(ctx["past"])) == set(refs([mine[k] for k in ("seen", "cancelled", "refunded", "expired", "lapsed_hold")]))
    assert refs(ctx["past"])[0] in refs([mine["refunded"], mine["expired"], mine["lapsed_hold"]])  # latest show first
    assert refs(ctx["past"])[-1] == mine["seen"].reference

    html = response.content.decode()
    for booking in theirs:
        assert booking.reference not in html
    card = html.split(f'id="booking-{mine["confirmed_wed"].reference}"')[1].split("</article>")[0]
    assert "Dune" in card and "B1, B2" in card and "Screen 1" in card and 'class="badge badge--ok">Confirmed' in card
    assert reverse("booking_page", args=[mine["confirmed_wed"].reference]) in html
    assert "Wed 25 Nov 2026, 6:00 pm" in html and "Sat 21 Nov 2026, 6:00 pm" in html  # showdatetime, in IST
    assert f"until {timezone.localtime(soon):%-I:%M} am" in html  # the live hold says how long it lasts
    lapsed = html.split(f'id="booking-{mine["lapsed_hold"].reference}"')[1].split("</article>")[0]
    assert ">Expired<" in lapsed  # lazily expired: shown as such before the sweep runs
    for label in ("Seats held", "Payment pending", "Cancelled", "Refunded"):
        assert f">{label}<" in html


def test_empty_states(client, customer):
    client.force_login(customer)
    html = client.get(ACCOUNT).content.decode()
    assert "No upcoming bookings" in html and "No past bookings yet" in html
    assert customer.email in html and "Verified" in html and "Send me a code" not in html


def test_past_bookings_are_paginated(client, customer, shows):
    been = shows[0]
    made = [make_booking(customer, been, "confirmed", [f"A{n}"]) for n in range(1, PAST_PER_PAGE + 3)]
    client.force_login(customer)

    first = client.get(ACCOUNT)
    assert len(first.context["past"]) == PAST_PER_PAGE
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(ACCOUNT, {"page": 2})
    assert len(second.context["past"]) == 2
    assert set(refs(first.context["past"])) | set(refs(second.context["past"])) == set(refs(made))
    assert client.get(ACCOUNT, {"page": "nonsense"}).status_code == 200


def queries_for(client):
    client.get(ACCOUNT)  # warm up (site root, settings), as a running server would be
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(ACCOUNT)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_bookings(client, customer, shows, movie, layout):
    been, monday, wednesday = shows
    make_booking(customer, monday, "confirmed")
    make_booking(customer, been, "confirmed")
    client.force_login(customer)
    before = queries_for(client)

    # more bookings, on more shows of other movies at other theaters
    for day in (24, 26):
        show = make_show(starts_at=local_dt(2026, 11, day, 20))
        make_booking(customer, show, "confirmed", ["A1", "A2", "A3"])
        make_booking(customer, show, "cancelled", ["A4"])
    for n in range(4):
        make_booking(customer, wednesday, "confirmed", [f"B{n}"])
        make_booking(customer, been, "confirmed", [f"B{n}"])
    after = queries_for(client)
    assert after == before, f"{before} queries with 2 bookings, {after} with 14"


def test_an_unverified_account_can_ask_for_a_code_from_the_page(client, mailoutbox):
    """Staff made in the admin (no allauth address yet) or an address never confirmed."""
    user = make_user(username="walkin", email="walkin@example.com")
    client.force_login(user)
    html = client.get(ACCOUNT).content.decode()
    assert "Not verified" in html and "Send me a code" in html

    response = client.post(reverse("account_email"), {"email": "walkin@example.com", "action_send": ""})
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    response = client.post(response.url, {"code": code_in(mailoutbox[0])})
    assert response.status_code == 302
    html = client.get(ACCOUNT).content.decode()
    assert "Not verified" not in html and "Verified" in html
