"""The rules every show obeys however it is created: identity, overlap, language, format,
booking window. Shows here are created with ``movie.add_child`` (full_clean runs)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from wagtail.models import Site

from cinema.models import ShowStatus
from tests.factories import local_dt, make_language, make_layout, make_movie, make_screen, make_show, set_cleaning_buffer

TOMORROW_18 = local_dt(2026, 11, 21, 18, 0)


def clash_message(show_kwargs) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        make_show(**show_kwargs)
    return excinfo.value.messages


@pytest.fixture
def first(movie, screen):
    """Dune (150 min) on screen at 18:00 tomorrow: the screen is busy until 20:45."""
    return make_show(movie=movie, screen=screen, starts_at=TOMORROW_18)


@pytest.fixture
def other_movie(hindi):
    return make_movie(languages=[hindi], title="Sholay", slug="sholay", runtime_minutes=120)


# --- identity ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_title_slug_and_url_come_from_the_shows_facts(movie, layout):
    screen = make_screen(seat_layout=layout, name="Screen 2")
    screen.theater.title = "Marquee Juhu"
    screen.theater.save()
    show = make_show(movie=movie, screen=screen, starts_at=local_dt(2026, 11, 21, 19, 30))
    assert show.title == "Sat 21 Nov 2026, 19:30 · Marquee Juhu · Screen 2"
    assert show.draft_title == show.title
    assert show.slug == "2026-11-21-1930-marquee-juhu-screen-2"
    assert show.movie_id == movie.pk
    assert show.url == "/movies/dune/shows/2026-11-21-1930-marquee-juhu-screen-2/"
    assert show.ends_at == local_dt(2026, 11, 21, 22, 0)


@pytest.mark.django_db
def test_show_url_routes_to_the_show(first, movie):
    request = RequestFactory().get(first.url)
    site = Site.objects.get(is_default_site=True)
    path = [part for part in first.url.split("/") if part]
    assert site.root_page.specific.route(request, path).page.specific == first
    # The bare /movies/<movie>/shows/ path belongs to the movie.
    assert site.root_page.specific.route(request, ["movies", "dune", "shows"]).page.specific == movie


@pytest.mark.django_db
def test_show_starts_are_stored_in_india_time(first):
    assert first.starts_at.isoformat() == "2026-11-21T18:00:00+05:30"
    assert first.slug.startswith("2026-11-21-1800-")


# --- overlap --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_show_starting_while_the_screen_is_busy_is_refused(first, other_movie, screen):
    messages = clash_message({"movie": other_movie, "screen": screen, "starts_at": local_dt(2026, 11, 21, 20, 30)})
    assert messages == [
        "The screen is busy with “Dune” from 21 Nov 18:00 until 20:45 (including 15 minutes of cleaning). "
        "Choose another time or screen."
    ]
    assert other_movie.get_children().count() == 0


@pytest.mark.django_db
def test_show_starting_exactly_when_the_screen_is_clean_is_allowed(first, other_movie, screen):
    second = make_show(movie=other_movie, screen=screen, starts_at=local_dt(2026, 11, 21, 20, 45))
    assert second.pk and second.seats.count() == 20


@pytest.mark.django_db
def test_show_running_into_a_later_show_is_refused(first, other_movie, screen):
    # Sholay at 16:00 runs 120 minutes + 15 cleaning = until 18:15, past Dune's start.
    messages = clash_message({"movie": other_movie, "screen": screen, "starts_at": local_dt(2026, 11, 21, 16, 0)})
    assert "“Dune”" in messages[0]
    # At 15:45 it is out and cleaned at 18:00 sharp.
    assert make_show(movie=other_movie, screen=screen, starts_at=local_dt(2026, 11, 21, 15, 45)).pk


@pytest.mark.django_db
def test_same_time_on_another_screen_is_allowed(first, other_movie, layout):
    assert make_show(movie=other_movie, screen=make_screen(seat_layout=layout), starts_at=TOMORROW_18).pk


@pytest.mark.django_db
def test_same_movie_cannot_clash_with_itself_on_one_screen(first, movie, screen):
    messages = clash_message({"movie": movie, "screen": screen, "starts_at": local_dt(2026, 11, 21, 19, 0)})
    assert "“Dune”" in messages[0]


@pytest.mark.django_db
def test_cancelled_shows_do_not_block_the_screen(first, other_movie, screen):
    first.status = ShowStatus.CANCELLED
    first.save()
    assert make_show(movie=other_movie, screen=screen, starts_at=local_dt(2026, 11, 21, 18, 30)).pk


@pytest.mark.django_db
def test_a_cancelled_show_may_overlap(first, other_movie, screen):
    show = make_show(movie=other_movie, screen=screen, starts_at=local_dt(2026, 11, 21, 18, 30), status=ShowStatus.CANCELLED)
    assert show.pk


@pytest.mark.django_db
def test_draft_shows_block_the_screen_too(movie, other_movie, screen):
    make_show(movie=movie, screen=screen, starts_at=TOMORROW_18, live=False)
    assert "“Dune”" in clash_message({"movie": other_movie, "screen": screen, "starts_at": local_dt(2026, 11, 21, 19, 0)})[0]


@pytest.mark.django_db
def test_the_cleaning_buffer_comes_from_booking_settings(first, other_movie, screen):
    set_cleaning_buffer(30)
    messages = clash_message({"movie": other_movie, "screen": screen, "starts_at": local_dt(2026, 11, 21, 20, 45)})
    assert messages == [
        "The screen is busy with “Dune” from 21 Nov 18:00 until 21:00 (including 30 minutes of cleaning). "
        "Choose another time or screen."
    ]
    assert make_show(movie=other_movie, screen=screen, starts_at=local_dt(2026, 11, 21, 21, 0)).pk


@pytest.mark.django_db
def test_a_long_buffer_after_a_long_film_still_blocks_the_screen(other_movie, screen, hindi):
    """The clash look-up must reach back runtime + buffer, whatever buffer the settings hold.
    A 600-minute film at 08:00 with a 300-minute buffer keeps the screen busy until 23:00."""
    set_cleaning_buffer(300)
    epic = make_movie(languages=[hindi], title="Epic", slug="epic", runtime_minutes=600)
    make_show(movie=epic, screen=screen, starts_at=local_dt(2026, 11, 22, 8, 0))
    messages = clash_message({"movie": other_movie, "screen": screen, "starts_at": local_dt(2026, 11, 22, 22, 30)})
    assert "“Epic”" in messages[0]


@pytest.mark.django_db
def test_no_buffer_lets_shows_run_back_to_back(first, other_movie, screen):
    set_cleaning_buffer(0)
    assert make_show(movie=other_movie, screen=screen, starts_at=local_dt(2026, 11, 21, 20, 30)).pk


@pytest.mark.django_db
def test_editing_a_show_does_not_clash_with_itself(first):
    first.max_per_booking = 6
    first.full_clean()
    first.save()
    first.refresh_from_db()
    assert first.max_per_booking == 6


@pytest.mark.django_db
def test_moving_a_show_onto_a_busy_slot_is_refused(first, other_movie, screen):
    second = make_show(movie=other_movie, screen=screen, starts_at=local_dt(2026, 11, 21, 21, 0))
    second.starts_at = local_dt(2026, 11, 21, 20, 0)
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    assert "“Dune”" in excinfo.value.messages[0]


# --- language, format, booking window ---------------------------------------------------------


@pytest.mark.django_db
def test_language_must_be_one_of_the_movies(movie, screen):
    tamil = make_language("Tamil")
    messages = clash_message({"movie": movie, "screen": screen, "language": tamil})
    assert messages == ["“Dune” is not released in Tamil. Add the language to the movie first."]


@pytest.mark.django_db
def test_screen_must_support_the_format(movie, layout):
    screen = make_screen(seat_layout=layout, name="Audi 2", format="2D")
    messages = clash_message({"movie": movie, "screen": screen, "format": "IMAX"})
    assert messages == [f"Audi 2 at {screen.theater.title} is a 2D screen and cannot show IMAX."]


@pytest.mark.django_db
def test_an_imax_screen_shows_3d(movie, layout):
    screen = make_screen(seat_layout=layout, format="IMAX")
    assert make_show(movie=movie, screen=screen, format="3D").format == "3D"


@pytest.mark.parametrize(
    ("screen_format", "supported", "unsupported"),
    [
        ("2D", {"2D"}, {"3D", "IMAX", "4DX"}),
        ("3D", {"2D", "3D"}, {"IMAX", "4DX"}),
        ("IMAX", {"2D", "3D", "IMAX"}, {"4DX"}),
        ("4DX", {"2D", "3D", "4DX"}, {"IMAX"}),
    ],
)
def test_screen_supports(screen_format, supported, unsupported):
    from cinema.models import Screen

    screen = Screen(format=screen_format)
    assert all(screen.supports(f) for f in supported)
    assert not any(screen.supports(f) for f in unsupported)


@pytest.mark.django_db
def test_booking_cannot_close_long_after_the_start(movie, screen):
    messages = clash_message({"movie": movie, "screen": screen, "booking_closes_at": TOMORROW_18 + timedelta(minutes=31)})
    assert messages == ["Booking must close no later than 30 minutes after the show starts."]
    assert make_show(movie=movie, screen=screen, booking_closes_at=TOMORROW_18 + timedelta(minutes=30)).pk


@pytest.mark.django_db
def test_booking_must_open_before_it_closes(movie, screen):
    messages = clash_message(
        {
            "movie": movie,
            "screen": screen,
            "booking_opens_at": TOMORROW_18 - timedelta(hours=1),
            "booking_closes_at": TOMORROW_18 - timedelta(hours=2),
        }
    )
    assert messages == ["Booking must open before it closes."]
    assert clash_message({"movie": movie, "screen": screen, "booking_opens_at": TOMORROW_18}) == [
        "Booking must open before it closes."
    ]


@pytest.mark.django_db
def test_is_bookable(movie, screen, clock):
    show = make_show(movie=movie, screen=screen, booking_opens_at=local_dt(2026, 11, 20, 12, 0))
    assert not show.is_bookable()
    clock.move_to(local_dt(2026, 11, 20, 12, 0))
    assert show.is_bookable()
    clock.move_to(TOMORROW_18)
    assert not show.is_bookable()


@pytest.mark.django_db
def test_several_problems_are_reported_together(movie, layout):
    screen = make_screen(seat_layout=layout)
    messages = clash_message({"movie": movie, "screen": screen, "format": "4DX", "language": make_language("Tamil")})
    assert len(messages) == 2


@pytest.mark.django_db
def test_every_problem_with_an_unrelated_layout_still_allows_other_shows(movie):
    """A show on a screen whose layout has three categories needs no extra rule here."""
    screen = make_screen(seat_layout=make_layout(categories=["Recliner", "Prime", "Classic"]))
    show = make_show(movie=movie, screen=screen)
    assert show.price_map().keys() == {"Recliner", "Prime", "Classic"}
