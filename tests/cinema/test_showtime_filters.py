"""Accessibility tags on shows and the showtime filters (language, format, accessibility tag,
time of day) on the movie and theater pages and in GET /api/shows.

The clock is frozen at Fri 20 Nov 2026 10:00 IST: "tomorrow" is Sat 21 Nov."""

import pytest
from django.test import Client

from cinema.showtime_filters import ShowtimeFilters
from cinema.showtimes import upcoming_shows
from tests.factories import local_dt, make_movie, make_show, make_theater

pytestmark = pytest.mark.django_db


@pytest.fixture
def lineup():
    """One film in Hindi and Tamil at one theater (a 3D screen), five shows:
    morning Hindi 2D with captions; matinee Tamil 3D; evening Hindi 2D sensory-friendly;
    night Hindi 2D with audio description and captions; 1 am the day after, Tamil 2D."""
    movie = make_movie(title="Monsoon Express", slug="monsoon-express", languages=["Hindi", "Tamil"])
    hindi, tamil = movie.languages.get(name="Hindi"), movie.languages.get(name="Tamil")
    theater = make_theater(title="Marquee Juhu", slug="marquee-juhu", screens=[{"format": "3D"}])
    screen = theater.screens.first()

    def show(day, hour, language, **kwargs):
        return make_show(movie=movie, screen=screen, starts_at=local_dt(2026, 11, day, hour), language=language, **kwargs)

    return {
        "movie": movie,
        "theater": theater,
        "morning": show(21, 9, hindi, captions=True),
        "matinee": show(21, 13, tamil, format="3D"),
        "evening": show(21, 17, hindi, sensory_friendly=True),
        "night": show(21, 21, hindi, audio_description=True, captions=True),
        "late": show(23, 1, tamil),
    }


def picked(filters: ShowtimeFilters, lineup) -> set[str]:
    ids = set(filters.apply(upcoming_shows()).values_list("pk", flat=True))
    return {name for name, value in lineup.items() if getattr(value, "pk", None) in ids and name not in ("movie", "theater")}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ShowtimeFilters(), {"morning", "matinee", "evening", "night", "late"}),
        (ShowtimeFilters(language="tamil"), {"matinee", "late"}),
        (ShowtimeFilters(format="3D"), {"matinee"}),
        (ShowtimeFilters(accessibility="cc"), {"morning", "night"}),
        (ShowtimeFilters(accessibility="audio_description"), {"night"}),
        (ShowtimeFilters(accessibility="sensory_friendly"), {"evening"}),
        (ShowtimeFilters(time="morning"), {"morning"}),
        (ShowtimeFilters(time="matinee"), {"matinee"}),
        (ShowtimeFilters(time="evening"), {"evening"}),
        (ShowtimeFilters(time="night"), {"night", "late"}),  # night runs past midnight
        (ShowtimeFilters(language="Hindi", accessibility="cc", time="night"), {"night"}),
        (ShowtimeFilters(language="Tamil", format="IMAX"), set()),
    ],
)
def test_filters_narrow_the_shows(lineup, filters, expected):
    assert picked(filters, lineup) == expected


def test_unknown_values_in_a_page_query_are_ignored():
    filters = ShowtimeFilters.from_query({"format": "8K", "accessibility": "x", "time": "noon", "language": " Tamil "})
    assert filters == ShowtimeFilters(language="Tamil")
    assert ShowtimeFilters.from_query({}).active is False


def test_a_show_names_its_tags(lineup):
    night = lineup["night"]
    assert night.accessibility_tags == ["Captions (CC)", "Audio description"]
    assert night.accessibility_keys == ["cc", "audio_description"]
    assert night.accessibility_short == "CC · AD"
    assert lineup["matinee"].accessibility_keys == []


# --- pages ----------------------------------------------------------------------------------------


def test_movie_page_filters_by_accessibility_and_shows_the_tags(lineup):
    html = Client().get(lineup["movie"].url + "?accessibility=cc").content.decode()
    assert 'aria-label="Filter showtimes"' in html
    assert '<option value="cc" selected>Captions (CC)</option>' in html
    assert lineup["morning"].url in html and lineup["night"].url in html
    for other in ("matinee", "evening", "late"):
        assert lineup[other].url not in html
    assert "CC · AD" in html  # the night show's chip
    assert "Clear filters" in html


def test_movie_page_without_filters_lists_everything_and_offers_the_languages(lineup):
    html = Client().get(lineup["movie"].url).content.decode()
    for name in ("morning", "matinee", "evening", "night", "late"):
        assert lineup[name].url in html
    assert '<option value="Hindi">Hindi</option>' in html and '<option value="Tamil">Tamil</option>' in html
    assert "Clear filters" not in html


def test_theater_page_filters_by_language_and_time(lineup):
    html = Client().get(lineup["theater"].url + "?language=tamil&time=night").content.decode()
    assert lineup["late"].url in html
    for other in ("morning", "matinee", "evening", "night"):
        assert lineup[other].url not in html


def test_a_filter_nothing_matches_says_so(lineup):
    html = Client().get(lineup["theater"].url + "?format=IMAX").content.decode()
    assert "No showtimes match these filters" in html


# --- the API --------------------------------------------------------------------------------------


def listed(query: str) -> list[dict]:
    response = Client().get("/api/shows" + query)
    assert response.status_code == 200, response.content
    return response.json()


def test_api_filters_and_tags(lineup):
    by_id = {value.pk: name for name, value in lineup.items() if hasattr(value, "starts_at")}
    assert {by_id[s["id"]] for s in listed("?accessibility=cc")} == {"morning", "night"}
    assert {by_id[s["id"]] for s in listed("?time=night")} == {"night", "late"}
    assert {by_id[s["id"]] for s in listed("?language=TAMIL&format=3D")} == {"matinee"}
    assert {by_id[s["id"]] for s in listed("?date=2026-11-21&time=evening")} == {"evening"}
    night = next(s for s in listed("") if s["id"] == lineup["night"].pk)
    assert night["accessibility"] == ["cc", "audio_description"]


@pytest.mark.parametrize(
    "query", ["?format=8K", "?accessibility=wheelchair", "?time=noon", "?time=night&time=morning", "?language=%00"]
)
def test_api_refuses_unknown_filter_values(lineup, query):
    response = Client().get("/api/shows" + query)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_api_schema_documents_the_filters(client):
    parameters = {p["name"]: p for p in client.get("/api/openapi.json").json()["paths"]["/api/shows"]["get"]["parameters"]}
    assert {"language", "format", "accessibility", "time"} <= set(parameters)
