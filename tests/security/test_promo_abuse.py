"""A customer tries to get more out of a promo code than it gives, through the JSON API: a
one-time code from two browsers at once, the same code on bookings at two shows, a code that
has expired or been switched off. Each refusal is a 400 with a sentence the customer can read,
and changes nothing: the code's use count stays where it was (docs/DESIGN.md §3: uses are counted
under a lock on the code when a booking moves to payment).

Thirty customers racing for a limited code on PostgreSQL are in
tests/concurrency/test_promo_race.py; each refusal's wording in tests/ticketing/test_promos.py."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import local_dt, make_promo, make_show
from tests.fixtures.checkout import committed, fund, signed_in
from tests.security.conftest import snapshot
from ticketing.models import Booking, BookingState, PromoCode
from ticketing.services.promos import uses

pytestmark = pytest.mark.django_db

LIMITS = {
    "once per customer": ({"per_customer_limit": 1}, "You have already used the code ONCE as many times as it allows."),
    "once in all": ({"total_limit": 1}, "The code ONCE has been fully used."),
}


def post(client, path, body):
    with committed():
        return client.post(path, json.dumps(body), content_type="application/json")


def hold(client, show, seats) -> str:
    response = post(client, f"/api/shows/{show.pk}/holds", {"seats": seats})
    assert response.status_code == 201, response.content
    return response.json()["reference"]


def apply(client, reference, code):
    return post(client, f"/api/bookings/{reference}/promo", {"code": code})


def checkout(client, reference):
    return post(client, f"/api/bookings/{reference}/pay", {"use_wallet": True})


def booking(reference) -> Booking:
    return Booking.objects.get(reference=reference)


@pytest.fixture
def other_show(movie):
    """The same film at another theatre."""
    return make_show(movie=movie)


@pytest.fixture
def funded(alice):
    """Enough in Alice's wallet for both bookings: every checkout confirms at once."""
    fund(alice, 5000)
    return alice


@pytest.mark.parametrize("limit", LIMITS, ids=list(LIMITS))
def test_a_one_time_code_from_two_sessions_is_used_once(funded, show, other_show, limit):
    """Alice signs in on her phone and her laptop, holds seats at two shows, adds the code on
    both while neither has paid (both accepted: holding is not using), then pays on one and
    the other. The second checkout is refused and its booking stays as it was."""
    limits, refusal = LIMITS[limit]
    promo = make_promo(code="ONCE", kind="flat", value=Decimal("100"), **limits)
    phone, laptop = signed_in(funded), signed_in(funded)
    first, second = hold(phone, show, ["A1", "A2"]), hold(laptop, other_show, ["A1", "A2"])
    assert apply(phone, first, "once").status_code == 200
    assert apply(laptop, second, "ONCE").json()["promo_code"] == "ONCE"

    assert checkout(phone, first).json()["state"] == "confirmed"
    assert uses(promo) == 1

    before = snapshot()
    response = checkout(laptop, second)
    assert response.status_code == 400
    assert response.json() == {"detail": refusal, "code": "promo_rejected"}
    assert snapshot() == before
    assert booking(second).state == BookingState.HELD
    assert uses(promo) == 1

    # Taking the code off and putting it back does not help either.
    assert laptop.delete(f"/api/bookings/{second}/promo").json()["promo_code"] is None
    again = apply(laptop, second, "once")
    assert again.status_code == 400 and again.json()["detail"] == refusal
    assert booking(second).promo_id is None
    # …and without it the laptop pays the full price.
    assert checkout(laptop, second).json()["state"] == "confirmed"
    assert uses(promo) == 1
    assert Booking.objects.filter(promo=promo).count() == 1


def test_the_same_code_on_two_held_bookings_at_two_shows(as_alice, alice, show, other_show, sandbox):
    """One session, the code on bookings at two shows. A checkout waiting at the gateway
    already counts as the use, so the second is refused; paying the first keeps it at one."""
    from tests.fixtures.checkout import callback

    promo = make_promo(code="ONCE", per_customer_limit=1)
    first, second = hold(as_alice, show, ["A1"]), hold(as_alice, other_show, ["B1"])
    assert apply(as_alice, first, "once").status_code == 200
    assert apply(as_alice, second, "once").status_code == 200

    pending = as_alice.post(f"/api/bookings/{first}/pay", {"use_wallet": False}, content_type="application/json").json()
    assert pending["state"] == "payment_pending"
    before = snapshot()
    response = checkout(as_alice, second)
    assert response.status_code == 400
    assert response.json()["detail"] == "You have already used the code ONCE as many times as it allows."
    assert snapshot() == before

    made = sandbox.pay(pending["order_id"])
    assert callback(as_alice, sandbox, pending["order_id"], made.payment_id).status_code == 302
    assert booking(first).state == BookingState.CONFIRMED
    assert checkout(as_alice, second).status_code == 400
    assert uses(promo) == uses(promo, alice) == 1


@pytest.mark.parametrize(
    "settings_, refusal",
    [
        ({"active": False}, "The code OLD is no longer active."),
        ({"valid_to": local_dt(2026, 11, 19, 23)}, "The code OLD expired on 19 Nov."),
        ({"valid_from": local_dt(2026, 12, 1)}, "The code OLD can be used from 1 Dec."),
    ],
    ids=["inactive", "expired", "not yet valid"],
)
def test_a_dead_code_is_refused(as_alice, held, settings_, refusal):
    promo = make_promo(code="OLD", **settings_)
    before = snapshot()
    response = apply(as_alice, held.reference, "old")
    assert response.status_code == 400 and response.json() == {"detail": refusal, "code": "promo_rejected"}
    assert snapshot() == before
    assert uses(promo) == 0


@pytest.mark.parametrize("how", ["expires", "is switched off"])
def test_a_code_that_dies_between_adding_and_paying_is_refused_at_checkout(clock, as_alice, alice, held, how):
    """The code was good when Alice added it; by the time she pays it is not."""
    promo = make_promo(code="SOON", valid_to=local_dt(2026, 11, 20, 10, 5))
    assert apply(as_alice, held.reference, "soon").status_code == 200
    fund(alice, 1000)
    if how == "expires":
        clock.shift(timedelta(minutes=6))
        refusal = "The code SOON expired on 20 Nov."
    else:
        PromoCode.objects.filter(pk=promo.pk).update(active=False)
        refusal = "The code SOON is no longer active."
    before = snapshot()
    response = checkout(as_alice, held.reference)
    assert response.status_code == 400 and response.json()["detail"] == refusal
    assert snapshot() == before
    assert booking(held.reference).state == BookingState.HELD
    assert uses(promo) == 0
