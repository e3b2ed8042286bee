"""Two scanners at two doors submit the same ticket at the same instant, each on its own
PostgreSQL connection: exactly one admits it, the other says it was already used, with the
winner's time (docs/DESIGN.md §3: check-in is one conditional UPDATE on `used_at IS NULL`)."""

from decimal import Decimal

import pytest
from django.db import connection
from wagtail.models import ModelLogEntry

from tests.concurrency.test_promo_race import run_together
from tests.factories import make_customer, make_layout, make_movie, make_screen, make_show, make_user, row
from ticketing.models import Ticket
from ticketing.services.checkin import check_in
from ticketing.services.checkout import start_checkout
from ticketing.services.holds import hold_seats
from wallet import services as wallet

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks and many connections at once"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 6


@pytest.fixture
def tickets():
    show = make_show(movie=make_movie(), screen=make_screen(seat_layout=make_layout(rows=[row("A", 10)], categories=["Classic"])))
    customer = make_customer(username="asha")
    wallet.credit(customer, Decimal("5000"), reason="Test")
    booking = start_checkout(hold_seats(customer, show, [f"A{n}" for n in range(1, ROUNDS + 1)]).booking, use_wallet=True).booking
    return list(booking.tickets.all())


def test_two_scanners_at_once_admit_a_ticket_once(tickets):
    doors = [make_user("ticketing.check_in_ticket", username=f"door{n}") for n in (1, 2)]
    for ticket in tickets:
        results = run_together([lambda door=door, code=ticket.code: check_in(code, by=door) for door in doors])
        assert sorted(r.result if hasattr(r, "result") else repr(r) for r in results) == ["admitted", "already_used"]
        admitted = next(r for r in results if r.result == "admitted")
        refused = next(r for r in results if r.result == "already_used")
        assert refused.used_at == admitted.used_at
        stored = Ticket.objects.get(pk=ticket.pk)
        assert stored.used_at == admitted.used_at
        assert stored.used_by_id == admitted.ticket.used_by.pk
    assert ModelLogEntry.objects.filter(action="ticket.check_in").count() == len(tickets)


def test_a_crowd_of_scanners_admit_a_ticket_once(tickets):
    doors = [make_user("ticketing.check_in_ticket", username=f"door{n}") for n in range(8)]
    ticket = tickets[0]
    results = run_together([lambda door=door: check_in(ticket.code.lower(), by=door) for door in doors])
    assert sorted(r.result if hasattr(r, "result") else repr(r) for r in results) == ["admitted"] + ["already_used"] * 7
