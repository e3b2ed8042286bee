"""Every customer page renders for an anonymous visitor on a small site."""

import pytest

from tests.factories import local_dt, make_movie, make_screen, make_show, make_theater


@pytest.fixture
def site_data(db, home_page, movie_index, theater_index, movie, layout):
    theater = make_theater(
        title="Marquee Juhu", slug="marquee-juhu", city="Mumbai", screens=[{"name": "Screen 1", "seat_layout": layout}]
    )
    screen = theater.screens.get()
    show = make_show(movie=movie, screen=screen, starts_at=local_dt(2026, 11, 21, 18, 0))
    coming = make_movie(title="Kalki 2", slug="kalki-2", release_date=local_dt(2027, 1, 26).date())
    return {"theater": theater, "show": show, "movie": movie, "coming": coming}


@pytest.mark.django_db
def test_home_page(client, site_data):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dune" in html
    assert "Kalki 2" in html


@pytest.mark.django_db
def test_home_page_for_a_city(client, site_data):
    response = client.get("/", {"city": "Mumbai"})
    assert response.status_code == 200
    assert response.context["city"] == "Mumbai"
    assert [m.title for m in response.context["now_showing"]] == ["Dune"]


@pytest.mark.django_db
def test_home_page_for_a_city_without_theaters(client, site_data):
    response = client.get("/", {"city": "Atlantis"})
    assert response.status_code == 200
    assert response.context["city"] == ""


@pytest.mark.django_db
def test_movie_index(client, site_data):
    response = client.get("/movies/")
    assert response.status_code == 200
    assert "Dune" in response.content.decode()


@pytest.mark.django_db
def test_movie_page(client, site_data):
    response = client.get("/movies/dune/")
    assert response.status_code == 200
    assert "Dune" in response.content.decode()
    assert [day["date"].isoformat() for day in response.context["showtimes"]] == ["2026-11-21"]


@pytest.mark.django_db
def test_theater_index(client, site_data):
    response = client.get("/theaters/")
    assert response.status_code == 200
    assert "Marquee Juhu" in response.content.decode()


@pytest.mark.django_db
def test_theater_page(client, site_data):
    response = client.get("/theaters/marquee-juhu/")
    assert response.status_code == 200
    assert "Marquee Juhu" in response.content.decode()
    assert len(response.context["showtimes"]) == 1


@pytest.mark.django_db
def test_show_page(client, site_data):
    show = site_data["show"]
    assert show.url == "/movies/dune/shows/2026-11-21-1800-marquee-juhu-screen-1/"
    response = client.get(show.url)
    assert response.status_code == 200
    assert "Dune" in response.content.decode()
    assert response.context["seat_map"].total == 20


@pytest.mark.django_db
def test_bare_shows_path_answers(client, site_data):
    response = client.get("/movies/dune/shows/")
    assert response.status_code in (200, 301, 302)
    if response.status_code != 200:
        assert response["Location"].rstrip("/").endswith("/movies/dune")


@pytest.mark.django_db
def test_unknown_show_is_404(client, site_data):
    assert client.get("/movies/dune/shows/2030-01-01-1000-nowhere-screen-9/").status_code == 404


@pytest.mark.django_db
def test_draft_show_is_404_for_customers(client, site_data, movie):
    draft = make_show(movie=movie, screen=make_screen(), starts_at=local_dt(2026, 11, 22, 18, 0), live=False)
    assert client.get(draft.url).status_code == 404


@pytest.mark.django_db
def test_show_has_one_address(client, site_data):
    """/movies/<movie>/<show-slug>/ (without "shows/") must not serve a second copy of the show."""
    show = site_data["show"]
    response = client.get(f"/movies/dune/{show.slug}/")
    assert response.status_code in (301, 302, 404)
    if response.status_code != 404:
        assert response["Location"] == show.url
