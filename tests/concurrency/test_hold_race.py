"""Many customers grabbing the same seats at the same instant, over real HTTP against a live
server on PostgreSQL: no seat ever ends up in two bookings, and what the 201 responses
promised is exactly what the database holds (docs/DESIGN.md §3)."""

import http.client
import json
import random
import threading
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils.crypto import get_random_string

from tests.factories import make_customer, make_layout, make_movie, make_screen, make_show, row
from ticketing.models import Booking, BookingState, SeatState, ShowSeat
from ticketing.services.holds import hold_seats

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks and many connections at once"),
    pytest.mark.postgres,
]

CUSTOMERS = 60
SEATS = 48
ATTEMPTS = 3


class Customer:
    """A signed-in browser: a session cookie, a CSRF token, one keep-alive connection."""

    def __init__(self, user, server_url: str):
        client = Client()
        client.force_login(user)
        self.user = user
        self.session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.token = get_random_string(32)
        address = urlsplit(server_url)
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)

    def post(self, path: str, body) -> tuple[int, dict]:
        cookies = f"{settings.SESSION_COOKIE_NAME}={self.session}; {settings.CSRF_COOKIE_NAME}={self.token}"
        headers = {"Content-Type": "application/json", "Cookie": cookies, "X-CSRFToken": self.token}
        self.connection.request("POST", path, body=json.dumps(body), headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else {}


def run_together(workers) -> list:
    """Start every worker at the same instant; return what each returned (or raised)."""
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait(timeout=60)
            results[index] = work()
        except BaseException as error:  # reported by the test, not lost in the thread
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a customer never got an answer"
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_customers_never_share_a_seat(live_server, settings):
    settings.MARQUEE_HOLD_RATE = 0
    layout = make_layout(rows=[row("A", SEATS)])
    show = make_show(movie=make_movie(), screen=make_screen(seat_layout=layout))
    path = f"/api/shows/{show.pk}/holds"
    customers = [Customer(make_customer(username=f"racer{n}"), live_server.url) for n in range(CUSTOMERS)]
    for customer in customers:
        customer.connection.connect()  # everyone is connected before the starting gun

    def grab(customer, seed):
        """Up to three tries at 2–4 neighbouring seats somewhere in the row; keep the first win."""
        rng = random.Random(seed)
        answers = []
        for _ in range(ATTEMPTS):
            size = rng.randint(2, 4)
            first = rng.randint(1, SEATS - size + 1)
            status, body = customer.post(path, {"seats": [f"A{n}" for n in range(first, first + size)]})
            answers.append((status, body))
            if status == 201:
                break
        customer.connection.close()
        return answers

    results = run_together([lambda c=c, n=n: grab(c, n) for n, c in enumerate(customers)])

    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[:3]
    answers = [answer for result in results for answer in result]
    statuses = Counter(status for status, _ in answers)
    assert set(statuses) <= {201, 409}, statuses
    assert statuses[409] > 0, "the customers never actually competed"

    won = [body for status, body in answers if status == 201]
    promised = [label for body in won for label in body["seats"]]
    assert len(promised) == len(set(promised)), "two 201 responses promised the same seat"

    held = dict(ShowSeat.objects.filter(show=show, state=SeatState.HELD).values_list("label", "booking__reference"))
    assert held == {label: body["reference"] for body in won for label in body["seats"]}
    assert not ShowSeat.objects.filter(show=show, state=SeatState.HELD, booking=None).exists()

    bookings = {b.reference: b for b in Booking.objects.filter(show=show, state=BookingState.HELD)}
    assert set(bookings) == {body["reference"] for body in won}
    for body in won:
        assert bookings[body["reference"]].seats == body["seats"]
    assert len(bookings) == len({b.user_id for b in bookings.values()})

    # A seat refused as taken was taken by a winner, never left free.
    refused = {label for status, body in answers if status == 409 for label in body["unavailable"]}
    assert refused <= set(held)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_customer_holding_from_many_tabs_ends_with_one_hold():
    """Ten simultaneous first holds by the same customer: the one-hold-per-show constraint
    makes the losers retry as replacements, so exactly one hold remains and it owns
    exactly the seats the database shows as held."""
    layout = make_layout(rows=[row("A", 20), row("B", 20)])
    show = make_show(movie=make_movie(), screen=make_screen(seat_layout=layout))
    customer = make_customer(username="tabs")
    labels = [[f"A{2 * n + 1}", f"B{2 * n + 1}"] for n in range(10)]

    def tab(seats):
        return hold_seats(customer, show, seats).booking.reference

    results = run_together([lambda s=s: tab(s) for s in labels])
    assert not [r for r in results if isinstance(r, BaseException)], results

    holds = list(Booking.objects.filter(user=customer, show=show, state=BookingState.HELD))
    assert len(holds) == 1
    hold = holds[0]
    assert hold.seats in labels
    assert sorted(ShowSeat.objects.filter(show=show, state=SeatState.HELD).values_list("label", flat=True)) == sorted(hold.seats)
    assert set(ShowSeat.objects.filter(show=show, state=SeatState.HELD).values_list("booking", flat=True)) == {hold.pk}
