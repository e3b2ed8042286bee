"""Customer pages read in a fixed number of queries: more movies, theaters and shows must not
add queries (opening night is when the catalogue is biggest)."""

from datetime import timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cinema.models import Amenity, MoviePage, TheaterPage
from tests.factories import local_dt, make_movie, make_show, make_theater

pytestmark = pytest.mark.django_db
NUMBERS = count(1)


def add_catalogue(n, language):
    """n movies, each with two shows at its own new theater (with an amenity)."""
    for _ in range(n):
        movie = make_movie(languages=[language], title=f"Film {next(NUMBERS)}")
        theater = make_theater(screens=[{}], city="Mumbai")
        theater.amenities.add(Amenity.objects.get_or_create(name="Parking")[0])
        theater.save()
        screen = theater.screens.first()
        day = timezone.localdate() + timedelta(days=1)
        for hour in (10, 16):
            make_show(movie=movie, screen=screen, starts_at=local_dt(day.year, day.month, day.day, hour))


def queries_for(client, url):
    client.get(url)  # warm caches (site root, settings) as a running server would have them
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["home", "movies", "theaters", "theater", "movie"])
def test_query_count_does_not_grow_with_the_catalogue(client, home_page, movie_index, theater_index, hindi, page):
    add_catalogue(1, hindi)
    urls = {
        "home": lambda: "/",
        "movies": lambda: "/movies/",
        "theaters": lambda: "/theaters/",
        "theater": lambda: TheaterPage.objects.order_by("pk").first().url,
        "movie": lambda: MoviePage.objects.order_by("pk").first().url,
    }
    before = queries_for(client, urls[page]())
    add_catalogue(3, hindi)
    after = queries_for(client, urls[page]())
    assert after == before, f"{page}: {before} queries with 1 movie, {after} with 4"
