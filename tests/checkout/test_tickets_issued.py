"""Confirmation issues one ticket per seat, each with its own random code, in the same
transaction; a failed payment issues none."""

import pytest

from tests.fixtures.checkout import callback, fund, pay
from ticketing.models import Ticket, new_ticket_code

pytestmark = pytest.mark.django_db


def test_confirmation_issues_one_ticket_per_seat(as_alice, alice, held):
    fund(alice, 1000)
    assert pay(as_alice, held, use_wallet=True).json()["state"] == "confirmed"
    tickets = list(Ticket.objects.filter(booking=held))
    assert sorted(t.seat_label for t in tickets) == ["A1", "A2"]
    assert len({t.code for t in tickets}) == 2
    assert all(t.show_id == held.show_id and t.category and t.used_at is None for t in tickets)


def test_failed_payment_issues_no_tickets(as_alice, held, sandbox):
    data = pay(as_alice, held).json()
    made = sandbox.pay(data["order_id"], succeed=False)
    callback(as_alice, sandbox, data["order_id"], made.payment_id)
    assert not Ticket.objects.filter(booking=held).exists()


def test_ticket_codes_are_long_and_unambiguous():
    codes = {new_ticket_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == 16 and not set(c) & set("01IO") for c in codes)
