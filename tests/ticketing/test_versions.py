"""Version counters: bumped after commit, never reused after the cache loses them, and moved
by every change of a seat's state."""

import pytest
from django.core.cache import cache
from django.db import transaction

from core import versions
from ticketing.errors import SeatsUnavailable
from ticketing.services.holds import hold_seats, release_hold


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # its flush must not re-create the groups under new keys
def test_a_bump_waits_for_the_commit():
    before = versions.current(versions.CONTENT)[versions.CONTENT]
    with transaction.atomic():
        versions.bump_content()
        assert versions.current(versions.CONTENT)[versions.CONTENT] == before
    assert versions.current(versions.CONTENT)[versions.CONTENT] == before + 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # its flush must not re-create the groups under new keys
def test_a_rolled_back_change_bumps_nothing():
    before = versions.current(versions.CONTENT)[versions.CONTENT]
    with pytest.raises(RuntimeError), transaction.atomic():
        versions.bump_content()
        raise RuntimeError
    assert versions.current(versions.CONTENT)[versions.CONTENT] == before


@pytest.mark.django_db
def test_a_lost_counter_comes_back_as_a_new_value():
    key = versions.seats_key(987654)
    first = versions.current(key)[key]
    cache.delete(key)
    assert versions.current(key)[key] != first
    cache.delete(key)
    versions.bump_seats(987654)  # a bump of a lost counter also starts it afresh
    assert versions.current(key)[key] not in (first, first + 1)


def test_holding_and_releasing_seats_bump_the_show(show, alice, django_capture_on_commit_callbacks):
    start = versions.show_versions(show.pk)
    with django_capture_on_commit_callbacks(execute=True):
        result = hold_seats(alice, show, ["A1"])
    after_hold = versions.show_versions(show.pk)
    assert after_hold[0] == start[0] and after_hold[1] > start[1]
    with django_capture_on_commit_callbacks(execute=True):
        release_hold(result.booking)
    assert versions.show_versions(show.pk)[1] > after_hold[1]


def test_a_refused_hold_bumps_nothing(show, alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hold_seats(alice, show, ["A1"])
    before = versions.show_versions(show.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(SeatsUnavailable):
        hold_seats(bob, show, ["A1"])
    assert not callbacks
    assert versions.show_versions(show.pk) == before
