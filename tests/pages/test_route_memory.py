"""How long an address's route is remembered (home/show_routes.py, home/listing_cache.py): a
found page for a day under the content version, an address with no page for a minute only,
so made-up addresses cannot fill the cache."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from home import listing_cache, show_routes

MADE_UP_SHOW = "/movies/no-such-movie/shows/no-such-show/"
MADE_UP_PAGE = "/no-such-page/"


def show_key(path: str) -> str:
    return show_routes.route_key(RequestFactory().get(path))


def listing_key(path: str) -> str:
    return listing_cache.route_key(RequestFactory().get(path))


def test_the_memory_times():
    assert show_routes.MISS_SECONDS == 60
    assert show_routes.ROUTE_SECONDS == 24 * 3600


@pytest.mark.django_db
def test_a_show_address_with_no_page_is_remembered_for_a_minute_not_a_day(home_page, clock):
    assert Client().get(MADE_UP_SHOW).status_code == 404
    remembered = cache.get(show_key(MADE_UP_SHOW))
    assert remembered is not None and remembered[1] is None  # (content version, no show, …)
    clock.shift(timedelta(seconds=59))
    assert cache.get(show_key(MADE_UP_SHOW)) == remembered
    clock.shift(timedelta(seconds=2))
    assert cache.get(show_key(MADE_UP_SHOW)) is None


@pytest.mark.django_db
def test_a_listing_address_with_no_page_is_remembered_for_a_minute_not_a_day(home_page, clock):
    assert Client().get(MADE_UP_PAGE).status_code == 404
    remembered = cache.get(listing_key(MADE_UP_PAGE))
    assert remembered is not None and remembered[1] is None  # (content version, no page, site)
    clock.shift(timedelta(seconds=61))
    assert cache.get(listing_key(MADE_UP_PAGE)) is None


@pytest.mark.django_db
def test_a_show_that_exists_is_remembered_for_a_day(show, clock):
    assert Client().get(show.url).status_code == 200
    remembered = cache.get(show_key(show.url))
    assert remembered is not None and remembered[1] == show.pk
    clock.shift(timedelta(hours=23, minutes=59))
    assert cache.get(show_key(show.url)) == remembered
    clock.shift(timedelta(minutes=2))
    assert cache.get(show_key(show.url)) is None


@pytest.mark.django_db
def test_a_page_that_exists_is_remembered_past_a_minute(home_page, clock):
    assert Client().get(home_page.url).status_code == 200
    remembered = cache.get(listing_key(home_page.url))
    assert remembered is not None and remembered[1] == home_page.pk
    clock.shift(timedelta(minutes=30))
    assert cache.get(listing_key(home_page.url)) == remembered
