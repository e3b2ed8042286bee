"""Another customer's booking, ticket or wallet: 404 everywhere, and nothing in the answer
tells them whether it exists or whose it is."""

import pytest

from tests.fixtures.checkout import pay
from ticketing.models import Booking, BookingState

pytestmark = pytest.mark.django_db


def probes(reference):
    return [
        ("get", f"/bookings/{reference}/", None),
        ("get", f"/api/bookings/{reference}", None),
        ("post", f"/api/bookings/{reference}/pay", {"use_wallet": True}),
        ("post", f"/api/bookings/{reference}/cancel", None),
        ("post", f"/api/bookings/{reference}/promo", {"code": "X"}),
        ("delete", f"/api/bookings/{reference}/promo", None),
        ("delete", f"/api/bookings/{reference}/hold", None),
        ("put", f"/api/bookings/{reference}/items", {"items": []}),
    ]


@pytest.mark.parametrize("which", ["held", "confirmed"])
def test_bob_gets_404_for_each_of_alices_bookings(request, as_bob, which, alice):
    booking = request.getfixturevalue(which)
    before = Booking.objects.values().get(pk=booking.pk)
    for method, path, body in probes(booking.reference):
        response = getattr(as_bob, method)(path, body, content_type="application/json")
        assert response.status_code == 404, (method, path, response.status_code)
        text = response.content.decode()
        assert alice.email not in text and "A5, A6" not in text
    assert Booking.objects.values().get(pk=booking.pk) == before


def test_a_made_up_reference_answers_exactly_like_someone_elses(as_bob, confirmed):
    mine = as_bob.get(f"/api/bookings/{confirmed.reference}")
    nobodys = as_bob.get("/api/bookings/MQZZZZZZZZ")
    assert (mine.status_code, mine.json()) == (nobodys.status_code, nobodys.json())


def test_bobs_sandbox_page_for_alices_order_is_404(as_alice, as_bob, held):
    order_id = pay(as_alice, held).json()["order_id"]
    assert as_bob.get(f"/payments/sandbox/{order_id}/").status_code == 404
    assert as_bob.post(f"/payments/sandbox/{order_id}/", {"action": "pay"}).status_code == 404
    assert Booking.objects.get(pk=held.pk).state == BookingState.PAYMENT_PENDING


def test_the_account_page_shows_only_your_own_wallet(as_bob, bob, confirmed):
    html = as_bob.get("/account/").content.decode()
    assert confirmed.reference not in html
    assert "2,000" not in html and "1,45" not in html  # Alice's credit and balance


def test_anonymous_visitors_are_sent_to_log_in(client, confirmed):
    response = client.get(f"/bookings/{confirmed.reference}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/bookings/{confirmed.reference}").status_code == 401
