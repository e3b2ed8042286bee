"""The show page is one cached response per show and version (home/page_cache.py): the same
HTML for everyone, a hit without queries or the session, a miss in a constant few queries,
and never a stale page after a publish, a hold, or a hold's end."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from cinema.models import ShowPage
from core.booking_rules import BookingSettings
from core.versions import CONTENT, bump_content, bump_seats, current, show_versions
from home.page_cache import page_key
from tests.factories import make_customer, make_layout, make_screen, make_show, make_user, row
from tests.fixtures.checkout import committed, signed_in
from ticketing.services.holds import hold_seats

MISS_BUDGET = 6
HELD = 'data-state="held"'  # a seat button shown as held


def page(client, show):
    response = client.get(show.url)
    assert response.status_code == 200
    return response


def html(client, show) -> str:
    return page(client, show).content.decode()


def publish(show):
    with committed():
        show.save_revision().publish()


@pytest.mark.django_db
def test_the_same_html_for_two_customers_and_a_visitor(show, alice, bob):
    anonymous = Client()
    first = page(signed_in(alice), show)
    assert first.content == page(signed_in(bob), show).content == page(anonymous, show).content
    body = first.content.decode()
    assert "alice" not in body and "Sign out" not in body and "csrfmiddlewaretoken" not in body
    assert "wagtail-userbar" not in body
    assert 'data-session-url="/api/session?page=' in body


@pytest.mark.django_db
def test_a_hit_reads_nothing_and_no_session(show, alice):
    browser = signed_in(alice)
    miss = page(browser, show)
    with CaptureQueriesContext(connection) as queries:
        hit = page(browser, show)
    assert len(queries) == 0
    assert hit.content == miss.content
    assert not hasattr(hit.wsgi_request, "session")  # SessionMiddleware never ran
    assert "Cookie" not in hit.get("Vary", "") and not hit.cookies
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type", "X-Content-Type-Options", "Content-Length"):
        assert hit[header] == miss[header], header


def _big_show(seats_per_row: int, rows: int):
    layout = make_layout(rows=[row(chr(65 + n), seats_per_row, "Classic") for n in range(rows)], categories=["Classic"])
    return make_show(screen=make_screen(seat_layout=layout), prices={"Classic": Decimal("200")})


@pytest.mark.django_db
def test_a_miss_is_a_few_queries_whatever_the_size_of_the_show():
    """Cold (after a publish): the site, then the show by its address with its restrictions,
    movie, theater, screen and layout in one query; the header's navigation; seats; prices;
    the first lapse of a hold. After a seat change only the address is remembered."""
    cold, warm = [], []
    for show in (_big_show(10, 5), _big_show(25, 10)):
        assert show.seats.count() in (50, 250)
        browser = signed_in(make_customer())
        Site.get_site_root_paths()  # Wagtail's own cache, read once per deploy
        with CaptureQueriesContext(connection) as queries:
            page(browser, show)
        cold.append(len(queries))
        with committed():
            bump_seats(show.pk)
        with CaptureQueriesContext(connection) as queries:
            page(Client(), show)
        warm.append(len(queries))
    assert cold == [MISS_BUDGET, MISS_BUDGET], cold
    assert warm == [MISS_BUDGET - 1, MISS_BUDGET - 1], warm


@pytest.mark.django_db
def test_a_publish_elsewhere_costs_the_page_no_more_than_a_cold_miss(show, alice):
    """A publish anywhere makes every cached page stale; the show page's render then reads
    its own rows again, but not the booking settings, whose copy has a version of its own."""
    browser = signed_in(alice)
    BookingSettings.load()
    page(browser, show)
    with committed():
        bump_content()  # an editor published some other page
    with CaptureQueriesContext(connection) as queries:
        page(browser, show)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert len(queries) <= MISS_BUDGET, tables
    assert BookingSettings._meta.db_table not in tables


@pytest.mark.django_db
def test_saved_booking_settings_are_read_at_once():
    BookingSettings.load()
    rules = BookingSettings.objects.get()
    rules.companion_release_hours = 7
    with committed():
        rules.save()
    assert BookingSettings.load().companion_release_hours == 7


@pytest.mark.django_db
def test_an_editor_publishing_a_new_price_is_seen_at_once(show, alice):
    browser = signed_in(alice)
    assert "₹200.00" in html(browser, show) and "₹999.00" not in html(browser, show)
    show = ShowPage.objects.get(pk=show.pk)
    prices = list(show.prices.all())
    prices[0].amount = Decimal("999.00")
    show.prices = prices
    publish(show)
    assert "₹999.00" in html(browser, show)


@pytest.mark.django_db
def test_an_editor_publishing_a_status_is_seen_at_once(show):
    assert "Booking open." in html(Client(), show)
    show = ShowPage.objects.get(pk=show.pk)
    show.status = "sold_out"
    publish(show)
    assert "Sold out." in html(Client(), show)


@pytest.mark.django_db
def test_an_unpublished_show_is_404_at_once(show):
    page(Client(), show)
    with committed():
        show.unpublish()
    assert Client().get(show.url).status_code == 404


@pytest.mark.django_db
def test_a_deleted_show_is_404_at_once(show):
    page(Client(), show)
    url = show.url
    with committed():
        show.delete()
    assert Client().get(url).status_code == 404


@pytest.mark.django_db
def test_booking_settings_and_snippets_bump_the_content_version(show):
    page(Client(), show)
    before = current(CONTENT)[CONTENT]
    with committed():
        BookingSettings.load().save()
    after_settings = current(CONTENT)[CONTENT]
    with committed():
        show.language.save()
    assert before != after_settings != current(CONTENT)[CONTENT]


@pytest.mark.django_db
def test_someone_elses_hold_changes_the_page(show, alice, bob):
    browser = signed_in(bob)
    assert HELD not in html(browser, show)
    with committed():
        hold_seats(alice, show, ["A1", "A2"])
    body = html(browser, show)
    assert body.count(HELD) == 2


@pytest.mark.django_db
def test_a_lapsing_hold_frees_the_seat_without_any_write(show, alice, clock):
    with committed():
        hold_seats(alice, show, ["A1"])
    assert html(Client(), show).count(HELD) == 1
    clock.shift(timedelta(minutes=9))
    with CaptureQueriesContext(connection) as queries:
        assert html(Client(), show).count(HELD) == 1  # still held: the cached page
    assert len(queries) == 0
    clock.shift(timedelta(minutes=1, seconds=1))
    assert html(Client(), show).count(HELD) == 0


@pytest.mark.django_db
def test_booking_closing_changes_the_page_without_any_write(show, clock):
    assert "Booking open." in html(Client(), show)
    clock.move_to(show.starts_at + timedelta(seconds=1))
    assert "Booking closed." in html(Client(), show)


@pytest.mark.django_db
def test_a_private_show_is_never_cached(show, alice):
    with committed():
        PageViewRestriction.objects.create(page=show, restriction_type=PageViewRestriction.LOGIN)
    assert Client().get(show.url).status_code == 302  # to sign in
    browser = signed_in(alice)
    page(browser, show)
    assert cache.get(page_key(show.pk, *show_versions(show.pk), "en-in")) is None


@pytest.mark.django_db
def test_a_query_string_is_served_but_not_cached(show):
    response = Client().get(show.url + "?utm_source=mail")
    assert response.status_code == 200
    assert cache.get(page_key(show.pk, *show_versions(show.pk), "en-in")) is None


@pytest.mark.django_db
def test_staff_get_no_user_bar_in_the_html_but_an_edit_link_from_the_session(show):
    editor = make_user("wagtailadmin.access_admin", is_superuser=True)
    body = html(signed_in(editor), show)
    assert "wagtail-userbar" not in body


def test_everything_a_page_shows_is_watched():
    from wagtail.images import get_image_model

    from cinema.models import Amenity, Credit, Genre, Language, MoviePage, Screen, SeatLayout, ShowPrice, TheaterPage
    from home.invalidation import watched_models
    from home.models import HomePage

    watched = set(watched_models())
    expected = {SeatLayout, Screen, Language, Genre, Amenity, ShowPrice, Credit, BookingSettings, get_image_model()}
    expected |= {PageViewRestriction, Site, ShowPage, MoviePage, TheaterPage, HomePage}
    assert expected <= watched
    assert get_image_model().get_rendition_model() not in watched


@pytest.mark.django_db
def test_moving_a_page_bumps_the_content_version(show, movie):
    from tests.factories import make_movie

    other = make_movie(title="Arrival", slug="arrival")
    before = current(CONTENT)[CONTENT]
    with committed():
        show.move(other, pos="last-child")
    assert current(CONTENT)[CONTENT] != before
