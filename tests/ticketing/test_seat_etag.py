"""The seat map's ETag: a poll that would get the same answer gets 304 from the cache alone,
and every change of the answer — a seat's state, the customer's own hold and its quote, the
show's facts, the clock running past a hold or the booking window — gives a new tag.

The clock is frozen at Fri 20 Nov 2026 10:00 IST; the default show is tomorrow at 18:00 with
A1–A10 Classic and B1–B10 Prime."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from cinema.models import ShowPage
from core import versions
from tests.factories import make_promo
from tests.fixtures.checkout import committed, fund, pay, signed_in
from ticketing.models import ShowSeat
from ticketing.services import cancellation, inventory, promos
from ticketing.services.holds import hold_seats, release_hold
from ticketing.services.promos import lock_for_checkout

pytestmark = pytest.mark.django_db

HOLD = timedelta(minutes=10)
SECOND = timedelta(seconds=1)
CACHED_SESSIONS = "django.contrib.sessions.backends.cached_db"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def url(show) -> str:
    return f"/api/shows/{show.pk}/seats"


def poll(client, show, etag=None):
    return client.get(url(show), HTTP_IF_NONE_MATCH=etag) if etag else client.get(url(show))


def etag_of(client, show) -> str:
    response = poll(client, show)
    assert response.status_code == 200
    return response["ETag"]


def is_current(client, show, etag) -> bool:
    response = poll(client, show, etag)
    assert response.status_code in (200, 304)
    return response.status_code == 304


# --- the answer and its headers ------------------------------------------------------------


def test_the_answer_carries_a_weak_etag_and_must_be_revalidated(show, clock):
    response = Client().get(url(show))
    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    assert response["Cache-Control"] == "private, no-cache"


def test_an_unchanged_map_answers_304_with_no_body_and_the_same_headers(show, clock):
    client = Client()
    etag = etag_of(client, show)
    assert etag_of(client, show) == etag  # stable while nothing changes
    response = poll(client, show, etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "private, no-cache"


def test_a_304_reads_no_row_at_all(show, alice, clock, django_assert_num_queries):
    anonymous = Client()
    etag = etag_of(anonymous, show)
    with django_assert_num_queries(0):
        assert poll(anonymous, show, etag).status_code == 304


@override_settings(SESSION_ENGINE=CACHED_SESSIONS)
def test_a_signed_in_304_reads_no_row_either_with_cached_sessions(show, alice, clock, django_assert_num_queries):
    client = signed_in(alice)
    with committed():
        hold_seats(alice, show, ["A1"])
    etag = etag_of(client, show)
    with django_assert_num_queries(0):  # not the session, not the user, not the seats
        assert poll(client, show, etag).status_code == 304


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db")
def test_with_database_sessions_a_signed_in_304_reads_only_the_session(show, alice, clock, django_assert_num_queries):
    client = signed_in(alice)
    etag = etag_of(client, show)
    with django_assert_num_queries(1):
        assert poll(client, show, etag).status_code == 304


def test_one_of_several_tags_may_match(show, clock):
    client = Client()
    etag = etag_of(client, show)
    response = poll(client, show, f'W/"1.nothing", {etag}')
    assert response.status_code == 304
    assert response["ETag"] == etag


@pytest.mark.parametrize(
    "header",
    ["*", '"abc"', 'W/""', 'W/"x.y"', 'W/"99999999999999999.abc"', "W/" + '"' * 40, "é", 'W/"0.' + "0" * 32 + '"'],
)
def test_made_up_or_foreign_tags_get_the_whole_answer(show, clock, header):
    response = poll(Client(), show, header)
    assert response.status_code == 200
    assert response.json()["show"] == show.pk


def test_a_tag_for_one_show_does_not_fit_another(show, movie, clock):
    from tests.factories import make_show

    other = make_show(movie=movie, starts_at=show.starts_at + timedelta(hours=4))
    client = Client()
    assert not is_current(client, other, etag_of(client, show))


def test_an_unknown_show_is_404_whatever_the_tag(show, clock):
    client = Client()
    etag = etag_of(client, show)
    assert client.get("/api/shows/999999/seats", HTTP_IF_NONE_MATCH=etag).status_code == 404


# --- who asks ------------------------------------------------------------------------------


def test_another_customers_tag_is_never_current_for_you(show, alice, bob, clock):
    with committed():
        hold_seats(alice, show, ["A1"])
    as_alice, as_bob = signed_in(alice), signed_in(bob)
    alices = etag_of(as_alice, show)
    assert not is_current(as_bob, show, alices)
    assert not is_current(Client(), show, alices)
    assert is_current(as_alice, show, alices)
    anonymous = etag_of(Client(), show)
    assert not is_current(as_alice, show, anonymous)


def test_signing_out_ends_the_tag(show, alice, clock):
    client = signed_in(alice)
    etag = etag_of(client, show)
    client.logout()
    assert not is_current(client, show, etag)


# --- seat changes ----------------------------------------------------------------------------


def test_a_hold_by_anyone_changes_everyones_tag(show, alice, bob, clock):
    watcher = Client()
    etag = etag_of(watcher, show)
    with committed():
        hold_seats(bob, show, ["B5"])
    assert not is_current(watcher, show, etag)
    assert poll(watcher, show).json()["seats"][14]["state"] == "held"


def test_release_confirm_and_cancel_change_the_tag(show, alice, clock):
    watcher = Client()
    with committed():
        booking = hold_seats(alice, show, ["A1", "A2"]).booking
    etag = etag_of(watcher, show)
    with committed():
        release_hold(booking)
    assert not is_current(watcher, show, etag)

    with committed():
        booking = hold_seats(alice, show, ["A3"]).booking
    etag = etag_of(watcher, show)
    fund(alice, "1000.00")
    assert pay(signed_in(alice), booking, use_wallet=True).json()["state"] == "confirmed"
    assert not is_current(watcher, show, etag)

    etag = etag_of(watcher, show)
    booking.refresh_from_db()
    with committed():
        cancellation.cancel_booking(booking, destination="wallet", reason="Test", by=None)
    assert not is_current(watcher, show, etag)


def test_an_inventory_sync_changes_the_tag(show, clock):
    watcher = Client()
    etag = etag_of(watcher, show)
    ShowSeat.objects.filter(show=show, label="A10").delete()  # the sync puts it back
    with committed():
        inventory.sync_show_seats(ShowPage.objects.get(pk=show.pk))
    assert not is_current(watcher, show, etag)


# --- the customer's own hold -------------------------------------------------------------------


def test_adding_or_removing_a_promo_changes_the_customers_tag(show, alice, clock):
    client = signed_in(alice)
    with committed():
        booking = hold_seats(alice, show, ["A1"]).booking
    make_promo(code="TENOFF")
    etag = etag_of(client, show)
    with committed():
        promos.apply_promo(booking, "TENOFF")
    assert not is_current(client, show, etag)
    assert poll(client, show).json()["hold"]["promo_code"] == "TENOFF"

    etag = etag_of(client, show)
    with committed():
        promos.remove_promo(booking)
    assert not is_current(client, show, etag)
    assert poll(client, show).json()["hold"]["promo_code"] is None


def test_a_refused_promo_changes_nothing(show, alice, clock):
    client = signed_in(alice)
    with committed():
        booking = hold_seats(alice, show, ["A1"]).booking
    etag = etag_of(client, show)
    with committed(), pytest.raises(promos.PromoRejected):
        promos.apply_promo(booking, "NOSUCHCODE")
    assert is_current(client, show, etag)


def test_going_to_payment_ends_the_hold_on_the_map(show, alice, clock):
    """Pay moves the hold to payment_pending: the map no longer shows it as the customer's."""
    client = signed_in(alice)
    with committed():
        booking = hold_seats(alice, show, ["A1"]).booking
    etag = etag_of(client, show)
    with committed(), transaction.atomic():
        lock_for_checkout(booking).save(update_fields=["state", "updated_at"])
    assert not is_current(client, show, etag)
    data = poll(client, show).json()
    assert data["hold"] is None and not data["seats"][0]["mine"]


# --- the site's content ---------------------------------------------------------------------


def test_only_a_content_bump_changes_the_tag_for_the_shows_facts(show, clock):
    client = Client()
    etag = etag_of(client, show)
    page = ShowPage.objects.get(pk=show.pk)
    page.max_per_booking = 4
    page.save_revision().publish()  # its own bump (after commit) is the page cache's part of issue 15
    assert is_current(client, show, etag)  # the tag follows the version, not the page row
    with committed():
        versions.bump_content()
    assert not is_current(client, show, etag)
    assert poll(client, show).json()["max_per_booking"] == 4


# --- time -------------------------------------------------------------------------------------


def test_a_lapsing_hold_ends_the_tag_with_no_write(show, alice, clock):
    with committed():
        hold_seats(alice, show, ["A1"])
    watcher = Client()
    etag = etag_of(watcher, show)
    clock.shift(HOLD - SECOND)
    assert is_current(watcher, show, etag)
    clock.shift(2 * SECOND)  # past held_until: A1 reads free, though no row changed
    assert not is_current(watcher, show, etag)
    assert poll(watcher, show).json()["seats"][0]["state"] == "available"


def test_the_booking_window_opening_ends_the_tag(show, clock):
    ShowPage.objects.filter(pk=show.pk).update(booking_opens_at=show.starts_at - timedelta(hours=30))
    client = Client()
    etag = etag_of(client, show)
    assert poll(client, show).json()["bookable"] is False
    clock.move_to(show.starts_at - timedelta(hours=30))
    assert not is_current(client, show, etag)
    assert poll(client, show).json()["bookable"] is True


def test_the_booking_window_closing_ends_the_tag(show, clock):
    client = Client()
    etag = etag_of(client, show)
    clock.move_to(show.starts_at)
    assert not is_current(client, show, etag)
    assert poll(client, show).json()["bookable"] is False


# --- the cache -----------------------------------------------------------------------------------


def test_a_lost_cache_never_gives_a_304(show, clock):
    client = Client()
    etag = etag_of(client, show)
    cache.clear()  # an eviction or a Redis restart: the counters start again from fresh values
    assert not is_current(client, show, etag)


def test_with_the_cache_unable_to_say_there_is_no_tag_and_no_304(show, clock, monkeypatch):
    from ticketing.services import seat_etag

    client = Client()
    etag = etag_of(client, show)
    monkeypatch.setattr(seat_etag, "show_versions", lambda show_id: None)
    response = poll(client, show, etag)
    assert response.status_code == 200
    assert "ETag" not in response


def test_a_checkout_given_back_shows_the_hold_again(show, alice, clock):
    """The payment service failed (or the checkout was abandoned): the booking is held again."""
    from ticketing.services.wallet_part import give_back_wallet_part

    client = signed_in(alice)
    with committed():
        booking = hold_seats(alice, show, ["A1"]).booking
    with committed(), transaction.atomic():
        lock_for_checkout(booking).save(update_fields=["state", "updated_at"])
    etag = etag_of(client, show)
    with committed():
        give_back_wallet_part(booking, reason="The payment service did not answer.")
    assert not is_current(client, show, etag)
    assert poll(client, show).json()["hold"]["reference"] == booking.reference
