"""The seat states everyone without a hold sees are built once per show and versions
(ticketing/services/seat_states.py): a second visitor's poll reads no row, a customer holding
seats still gets theirs marked, and no poll ever shows a stale state after a hold, a release
or a hold's lapse."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.fixtures.checkout import committed, signed_in
from ticketing.services.holds import hold_seats, release_hold

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def poll(client, show) -> dict:
    response = client.get(f"/api/shows/{show.pk}/seats")
    assert response.status_code == 200, response.content
    return response.json()


def states(body) -> dict[str, tuple[str, bool]]:
    return {seat["label"]: (seat["state"], seat["mine"]) for seat in body["seats"]}


def test_a_second_visitor_reads_no_row(show):
    first = poll(Client(), show)
    with CaptureQueriesContext(connection) as queries:
        second = poll(Client(), show)
    assert len(queries) == 0
    assert second == first and first["hold"] is None


def test_a_signed_in_customer_without_a_hold_reads_no_booking(show, alice, bob):
    """The copy knows whose holds it shows: only they have a hold to read."""
    with committed():
        hold_seats(alice, show, ["A1"])
    poll(Client(), show)
    as_bob, as_alice = signed_in(bob), signed_in(alice)
    poll(as_bob, show), poll(as_alice, show)  # their sessions and users are in the cache now
    with CaptureQueriesContext(connection) as queries:
        theirs = poll(as_bob, show)
    assert theirs["hold"] is None
    assert not [q for q in queries.captured_queries if "ticketing_booking" in q["sql"]], queries.captured_queries
    with CaptureQueriesContext(connection) as queries:
        mine = poll(as_alice, show)
    assert mine["hold"]["seats"] == ["A1"]
    assert [q for q in queries.captured_queries if "ticketing_booking" in q["sql"]]


def test_a_holder_gets_their_seats_marked_and_others_see_them_held(show, alice, bob):
    poll(Client(), show)  # the shared copy exists before the hold
    with committed():
        hold_seats(alice, show, ["A1", "A2"])
    mine = poll(signed_in(alice), show)
    assert states(mine)["A1"] == ("held", True) and states(mine)["A3"] == ("available", False)
    assert mine["hold"]["seats"] == ["A1", "A2"]
    own = signed_in(alice).get(f"/api/bookings/{mine['hold']['reference']}").json()
    assert mine["hold"] == {key: own[key] for key in mine["hold"]}  # as the booking endpoint renders it
    theirs = poll(signed_in(bob), show)
    assert states(theirs)["A1"] == ("held", False) and theirs["hold"] is None
    assert states(poll(Client(), show))["A2"] == ("held", False)


def test_a_release_is_seen_by_the_next_poll(show, alice):
    with committed():
        booking = hold_seats(alice, show, ["A1"]).booking
    assert states(poll(Client(), show))["A1"] == ("held", False)
    with committed():
        release_hold(booking)
    assert states(poll(Client(), show))["A1"] == ("available", False)


def test_a_lapsing_hold_turns_free_without_any_write(show, alice, clock):
    with committed():
        hold_seats(alice, show, ["A1"])
    assert states(poll(Client(), show))["A1"] == ("held", False)
    clock.shift(timedelta(minutes=10, seconds=1))
    assert states(poll(Client(), show))["A1"] == ("available", False)


def test_booking_closing_is_seen_without_any_write(show, clock):
    assert poll(Client(), show)["bookable"] is True
    clock.move_to(show.starts_at + timedelta(seconds=1))
    assert poll(Client(), show)["bookable"] is False
