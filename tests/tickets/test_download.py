"""Downloading the tickets PDF: the owner of a confirmed booking gets it; another customer,
an unconfirmed booking or an unknown reference get 404; visitors must sign in."""

import pytest

from tests.fixtures.checkout import signed_in
from ticketing.models import Booking
from ticketing.services.holds import hold_seats

pytestmark = pytest.mark.django_db


def url(booking):
    return f"/bookings/{booking.reference}/tickets.pdf"


def test_the_owner_downloads_the_pdf(as_alice, confirmed):
    response = as_alice.get(url(confirmed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="marquee-{confirmed.reference}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.streaming and b"".join(response.streaming_content).startswith(b"%PDF")
    assert Booking.objects.get(pk=confirmed.pk).tickets_pdf


def test_the_booking_page_offers_the_download_and_lists_the_codes(as_alice, confirmed):
    html = as_alice.get(f"/bookings/{confirmed.reference}/").content.decode()
    assert url(confirmed) in html and "Download tickets (PDF)" in html
    for code in confirmed.tickets.values_list("code", flat=True):
        assert code in html


def test_another_customer_gets_404(bob, confirmed):
    response = signed_in(bob).get(url(confirmed))
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_an_unconfirmed_or_unknown_booking_is_404(as_alice, alice, show):
    held = hold_seats(alice, show, ["B1"]).booking
    assert as_alice.get(url(held)).status_code == 404
    assert as_alice.get("/bookings/MQZZZZZZZZ/tickets.pdf").status_code == 404


def test_a_cancelled_booking_has_no_tickets_to_download(as_alice, confirmed):
    from tests.fixtures.checkout import committed

    with committed():
        as_alice.post(f"/api/bookings/{confirmed.reference}/cancel")
    assert as_alice.get(url(confirmed)).status_code == 404


def test_visitors_are_sent_to_sign_in(client, confirmed):
    response = client.get(url(confirmed))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
