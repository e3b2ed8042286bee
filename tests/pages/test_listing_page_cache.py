"""Home, movie and theater pages are one cached response per page, query and content version
(home/listing_cache.py): the same HTML for everyone, a hit without queries or the session, and
never stale after a publish or once a listed show starts."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cinema.models import MoviePage
from core.versions import CONTENT, current
from home.listing_cache import page_key
from tests.factories import home_page, make_customer, make_show, movie_index, theater_index
from tests.fixtures.checkout import committed, signed_in


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def listing_urls(show) -> list[str]:
    return [home_page().url, movie_index().url, show.movie.url, theater_index().url, show.screen.theater.url]


def hit_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        html(client, url)
    return len(queries)


@pytest.mark.django_db
def test_the_same_html_for_two_customers_and_a_visitor(show, alice, bob):
    for url in listing_urls(show):
        first = html(signed_in(alice), url)
        assert first == html(signed_in(bob), url) == html(Client(), url), url
        assert "Sign out" not in first and "csrfmiddlewaretoken" not in first and "wagtail-userbar" not in first
        assert 'data-session-url="/api/session?page=' in first and "js/session" in first


@pytest.mark.django_db
def test_a_hit_reads_nothing_and_no_session(show, alice):
    browser = signed_in(alice)
    for url in listing_urls(show):
        miss = browser.get(url)
        with CaptureQueriesContext(connection) as queries:
            again = browser.get(url)
        assert len(queries) == 0, url
        assert again.content == miss.content
        assert not hasattr(again.wsgi_request, "session")
        assert "Cookie" not in again.get("Vary", "") and not again.cookies
        assert again["Content-Security-Policy"] == miss["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_new_show_published_is_listed_at_once(show):
    movie_url = show.movie.url
    first = html(Client(), movie_url)
    assert first.count('class="chip"') == 1
    with committed():
        make_show(movie=show.movie, screen=show.screen, starts_at=show.starts_at + timedelta(hours=4))
    assert html(Client(), movie_url).count('class="chip"') == 2


@pytest.mark.django_db
def test_an_edited_movie_title_is_seen_at_once_on_every_listing(show):
    urls = listing_urls(show)
    for url in urls:
        html(Client(), url)
    movie = MoviePage.objects.get(pk=show.movie.pk)
    movie.title = "A Title Nobody Had"
    with committed():
        movie.save_revision().publish()
    for url in (home_page().url, movie_index().url, show.screen.theater.url):
        assert "A Title Nobody Had" in html(Client(), url), url


@pytest.mark.django_db
def test_a_show_that_starts_drops_off_without_any_write(show, clock):
    movie_url = show.movie.url
    assert html(Client(), movie_url).count('class="chip"') == 1
    assert hit_queries(Client(), movie_url) == 0
    clock.move_to(show.starts_at + timedelta(seconds=1))
    assert html(Client(), movie_url).count('class="chip"') == 0


@pytest.mark.django_db
def test_a_show_entering_the_listing_window_comes_in_without_any_write(show, clock):
    later = make_show(movie=show.movie, screen=show.screen, starts_at=show.starts_at + timedelta(days=9))
    movie_url = show.movie.url
    assert later.url not in html(Client(), movie_url)
    clock.move_to(later.starts_at - timedelta(days=8) + timedelta(seconds=1))
    assert later.url in html(Client(), movie_url)


@pytest.mark.django_db
def test_each_city_is_its_own_copy_and_other_queries_are_not_cached(show):
    url = home_page().url
    city = show.screen.theater.city
    html(Client(), f"{url}?city={city}")
    assert hit_queries(Client(), f"{url}?city={city}") == 0
    assert hit_queries(Client(), f"{url}?city=Nowhere") > 0  # a copy of its own, rendered once
    assert hit_queries(Client(), f"{url}?utm_source=mail") > 0
    assert hit_queries(Client(), f"{url}?utm_source=mail") > 0  # never cached


@pytest.mark.django_db
def test_a_restricted_page_is_never_cached(show, alice):
    theater = show.screen.theater
    with committed():
        PageViewRestriction.objects.create(page=theater, restriction_type=PageViewRestriction.LOGIN)
    assert Client().get(theater.url).status_code == 302
    browser = signed_in(alice)
    html(browser, theater.url)
    assert cache.get(page_key(theater.pk, current(CONTENT)[CONTENT], "", "en-in")) is None
    assert hit_queries(browser, theater.url) > 0


@pytest.mark.django_db
def test_a_signed_in_customer_still_gets_their_account_page_rendered_for_them():
    customer = make_customer(first_name="Meera")
    body = html(signed_in(customer), "/account/")
    assert "Sign out" in body
