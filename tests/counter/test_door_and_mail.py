"""Counter tickets at the door and in the post: they admit like any ticket, a voided sale's
tickets are refused, and the e-mails go to the walk-in customer, never to the seller."""

import pytest
from django.core import mail

from tests.counter.conftest import sell_cash, signed_in
from ticketing.services import counter_sales
from ticketing.services.checkin import check_in

pytestmark = pytest.mark.django_db


def test_counter_tickets_admit_once(seller, shift, show):
    ticket = sell_cash(seller, show).tickets[0]
    assert check_in(ticket.code, by=seller).result == "admitted"
    assert check_in(ticket.code, by=seller).result == "already_used"


def test_a_voided_sales_tickets_are_refused(seller, shift, show, supervisor):
    result = sell_cash(seller, show)
    counter_sales.void_sale(supervisor, result.booking.reference, "Wrong show")
    assert check_in(result.tickets[0].code, by=seller).result == "cancelled"
    slip = signed_in(seller).get(f"/admin/counter/sales/{result.booking.reference}/tickets/")
    assert slip.status_code == 410


def test_the_void_is_mailed_to_the_customer(seller, shift, show, supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = sell_cash(seller, show, email="walkin@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        counter_sales.void_sale(supervisor, result.booking.reference, "Wrong show")
    assert [m.to for m in mail.outbox] == [["walkin@example.com"], ["walkin@example.com"]]
    assert "cancelled" in mail.outbox[1].subject
    assert all("seller@example.com" not in m.to for m in mail.outbox)


def test_the_sellers_account_page_lists_no_counter_sales(seller, shift, show):
    reference = sell_cash(seller, show).booking.reference
    client = signed_in(seller)
    account = client.get("/account/")
    assert account.status_code == 200 and reference not in account.content.decode()
    assert client.get(f"/bookings/{reference}/").status_code == 404
    assert client.get(f"/api/bookings/{reference}").status_code == 404
