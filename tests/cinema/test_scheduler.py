"""The bulk scheduler service: days × times × screens, checked before anything is written."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.test import override_settings
from wagtail.models import PageLogEntry

from cinema.models import ShowPage
from cinema.scheduler import ScheduleRequest, SchedulerError, schedule_shows
from tests.factories import (
    local_dt,
    make_language,
    make_layout,
    make_movie,
    make_screen,
    make_show,
    make_theater,
    make_user,
    row,
    set_cleaning_buffer,
)
from ticketing.models import ShowSeat

PRICES = {"Prime": Decimal("250.00"), "Classic": Decimal("180.00")}


@pytest.fixture
def screens(layout):
    theater = make_theater(
        title="Marquee Juhu",
        slug="juhu",
        screens=[{"name": "Screen 1", "seat_layout": layout}, {"name": "Screen 2", "seat_layout": layout, "format": "IMAX"}],
    )
    return list(theater.screens.order_by("sort_order"))


@pytest.fixture
def editor(db):
    return make_user("cinema.schedule_shows", username="editor")


def request_for(movie, screens, **overrides) -> ScheduleRequest:
    values = {
        "movie": movie,
        "screens": screens,
        "first_day": date(2026, 11, 21),
        "last_day": date(2026, 11, 23),
        "times": [time(10, 0), time(18, 30)],
        "language": movie.languages.first(),
        "format": "2D",
        "prices": PRICES,
    }
    values.update(overrides)
    return ScheduleRequest(**values)


def scheduler_error(req) -> list[str]:
    with pytest.raises(SchedulerError) as excinfo:
        schedule_shows(req)
    assert not ShowPage.objects.exists()
    return excinfo.value.messages


def actions_of(page) -> dict[str, int]:
    """{action: count} of the page's audit log, leaving out plain "wagtail.edit" entries."""
    counts: dict[str, int] = {}
    for action in PageLogEntry.objects.filter(page=page).exclude(action="wagtail.edit").values_list("action", flat=True):
        counts[action] = counts.get(action, 0) + 1
    return counts


# --- creating ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_creates_one_show_per_day_time_and_screen(movie, screens, editor):
    result = schedule_shows(request_for(movie, screens), user=editor)

    assert len(result.created) == 3 * 2 * 2
    assert result.skipped == [] and result.refused == []
    shows = ShowPage.objects.child_of(movie).order_by("starts_at", "screen__sort_order")
    assert shows.count() == 12
    assert {(s.starts_at, s.screen_id) for s in shows} == {
        (local_dt(2026, 11, day, hour, minute), screen.pk)
        for day in (21, 22, 23)
        for hour, minute in ((10, 0), (18, 30))
        for screen in screens
    }
    first = shows.first()
    assert first.title == "Sat 21 Nov 2026, 10:00 · Marquee Juhu · Screen 1"
    assert first.url == "/movies/dune/shows/2026-11-21-1000-marquee-juhu-screen-1/"
    for show in shows:
        assert show.live and not show.has_unpublished_changes
        assert show.owner == editor and show.movie_id == movie.pk and show.format == "2D"
        assert show.price_map() == PRICES
    assert ShowSeat.objects.count() == 12 * 20
    assert set(ShowSeat.objects.filter(show=first).values_list("label", flat=True)) == {
        f"{r}{n}" for r in "AB" for n in range(1, 11)
    }


@pytest.mark.django_db
def test_published_shows_have_a_live_revision(movie, screens, editor):
    result = schedule_shows(request_for(movie, screens, last_day=date(2026, 11, 21), times=[time(10, 0)]), user=editor)
    assert len(result.created) == 2
    for created in result.created:
        show = ShowPage.objects.get(pk=created.pk)
        assert show.revisions.count() == 1
        assert show.live_revision_id == show.latest_revision_id == show.revisions.get().pk
        assert show.revisions.get().user == editor
        assert show.first_published_at is not None and show.last_published_at is not None
        publish = PageLogEntry.objects.get(page=show, action="wagtail.publish")
        assert (publish.user, publish.revision_id) == (editor, show.live_revision_id)
        assert PageLogEntry.objects.filter(page=show, action="wagtail.create", user=editor).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("publish", "expected"), [(True, {"wagtail.create": 1, "wagtail.publish": 1}), (False, {"wagtail.create": 1})]
)
def test_audit_log_records_each_scheduled_show_created_once(movie, screens, editor, publish, expected):
    """The page history must read "Created" once (and "Published" once), as for a show made in
    the page editor; creating the page already logs "wagtail.create"."""
    result = schedule_shows(
        request_for(movie, screens[:1], last_day=date(2026, 11, 21), times=[time(10)], publish=publish), user=editor
    )
    assert actions_of(result.created[0]) == expected


@pytest.mark.django_db
def test_drafts_when_not_publishing(movie, screens, editor):
    result = schedule_shows(request_for(movie, screens, publish=False, last_day=date(2026, 11, 21)), user=editor)
    assert len(result.created) == 4
    for created in result.created:
        show = ShowPage.objects.get(pk=created.pk)
        assert not show.live and show.has_unpublished_changes
        assert show.first_published_at is None and show.live_revision_id is None
        assert show.latest_revision_id is not None
        assert ShowSeat.objects.filter(show=show).count() == 20
        assert show.price_map() == PRICES
        assert PageLogEntry.objects.filter(page=show, action="wagtail.create", user=editor).exists()
        assert not PageLogEntry.objects.filter(page=show, action="wagtail.publish").exists()
    assert not ShowPage.objects.live().exists()


@pytest.mark.django_db
def test_each_screen_gets_the_prices_of_its_own_layout(movie, editor):
    big = make_layout(categories=["Recliner", "Classic"], rows=[row("A", 4, "Recliner"), row("B", 6, "Classic")])
    small = make_layout(categories=["Classic"], rows=[row("A", 5, "Classic")])
    theater = make_theater(screens=[{"name": "Big", "seat_layout": big}, {"name": "Small", "seat_layout": small}])
    prices = {"Recliner": Decimal("450"), "Classic": Decimal("200")}
    result = schedule_shows(
        request_for(movie, list(theater.screens.all()), last_day=date(2026, 11, 21), times=[time(12)], prices=prices)
    )
    by_screen = {show.screen.name: show for show in result.created}
    assert by_screen["Big"].price_map() == prices
    assert by_screen["Small"].price_map() == {"Classic": Decimal("200")}
    assert ShowSeat.objects.filter(show=by_screen["Big"]).count() == 10
    assert ShowSeat.objects.filter(show=by_screen["Small"]).count() == 5


# --- idempotence and clashes ---------------------------------------------------------------------


@pytest.mark.django_db
def test_running_the_same_request_twice_creates_nothing_new(movie, screens, editor):
    first = schedule_shows(request_for(movie, screens), user=editor)
    counts = (ShowPage.objects.count(), ShowSeat.objects.count(), PageLogEntry.objects.count())

    second = schedule_shows(request_for(movie, screens), user=editor)

    assert second.created == [] and second.refused == []
    assert sorted(second.skipped) == sorted(show.title for show in first.created)
    assert (ShowPage.objects.count(), ShowSeat.objects.count(), PageLogEntry.objects.count()) == counts


@pytest.mark.django_db
def test_an_overlapping_request_creates_only_the_new_shows(movie, screens):
    schedule_shows(request_for(movie, screens, last_day=date(2026, 11, 21)))
    result = schedule_shows(request_for(movie, screens, last_day=date(2026, 11, 22)))
    assert len(result.skipped) == 4
    assert len(result.created) == 4
    assert {s.starts_at.date() for s in result.created} == {date(2026, 11, 22)}


@pytest.mark.django_db
def test_clash_with_an_existing_show_is_refused_with_the_reason(movie, screens, hindi):
    sholay = make_movie(languages=[hindi], title="Sholay", slug="sholay", runtime_minutes=200)
    make_show(movie=sholay, screen=screens[0], starts_at=local_dt(2026, 11, 21, 8, 0))  # busy until 11:35

    result = schedule_shows(request_for(movie, screens, last_day=date(2026, 11, 21)))

    assert [r.title for r in result.refused] == ["Sat 21 Nov 2026, 10:00 · Marquee Juhu · Screen 1"]
    assert result.refused[0].reason == (
        "The screen is busy with “Sholay” from 21 Nov 08:00 until 11:35 (including 15 minutes of cleaning). "
        "Choose another time or screen."
    )
    assert len(result.created) == 3
    assert not ShowPage.objects.filter(screen=screens[0], starts_at=local_dt(2026, 11, 21, 10, 0), movie=movie).exists()


@pytest.mark.django_db
def test_cancelled_shows_do_not_block_the_scheduler(movie, screens, hindi):
    sholay = make_movie(languages=[hindi], title="Sholay", slug="sholay")
    make_show(movie=sholay, screen=screens[0], starts_at=local_dt(2026, 11, 21, 9, 0), status="cancelled")
    result = schedule_shows(request_for(movie, screens[:1], last_day=date(2026, 11, 21), times=[time(10)]))
    assert len(result.created) == 1 and result.refused == []


@pytest.mark.django_db
def test_clashes_within_the_batch_are_refused(movie, screens):
    # Dune runs 150 minutes: 10:00 keeps the screen busy until 12:45.
    result = schedule_shows(
        request_for(movie, screens[:1], last_day=date(2026, 11, 21), times=[time(12, 45), time(10), time(12, 30)])
    )
    assert [timezoneless(s.starts_at) for s in result.created] == ["10:00", "12:45"]
    assert [(r.title, r.reason) for r in result.refused] == [
        ("Sat 21 Nov 2026, 12:30 · Marquee Juhu · Screen 1", "Clashes with another show in this batch.")
    ]


def timezoneless(value) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(value):%H:%M}"


@pytest.mark.django_db
def test_scheduler_uses_the_cleaning_buffer_setting(movie, screens):
    set_cleaning_buffer(45)
    result = schedule_shows(
        request_for(movie, screens[:1], last_day=date(2026, 11, 21), times=[time(10), time(13, 0), time(13, 15)])
    )
    assert [timezoneless(s.starts_at) for s in result.created] == ["10:00", "13:15"]
    assert len(result.refused) == 1


@pytest.mark.django_db
def test_times_that_have_passed_are_refused(movie, screens):
    # The clock stands at Fri 20 Nov 2026, 10:00.
    result = schedule_shows(
        request_for(
            movie, screens[:1], first_day=date(2026, 11, 20), last_day=date(2026, 11, 20), times=[time(9), time(10), time(12)]
        )
    )
    assert [timezoneless(s.starts_at) for s in result.created] == ["12:00"]
    assert [(r.title, r.reason) for r in result.refused] == [
        ("Fri 20 Nov 2026, 09:00 · Marquee Juhu · Screen 1", "This time has already passed."),
        ("Fri 20 Nov 2026, 10:00 · Marquee Juhu · Screen 1", "This time has already passed."),
    ]


# --- requests that cannot be scheduled at all ---------------------------------------------------


@pytest.mark.django_db
def test_last_day_before_first_day(movie, screens):
    messages = scheduler_error(request_for(movie, screens, first_day=date(2026, 11, 23), last_day=date(2026, 11, 21)))
    assert messages == ["The last day must be on or after the first day."]


@pytest.mark.django_db
@override_settings(MARQUEE_SCHEDULER_MAX_DAYS=5)
def test_too_many_days(movie, screens):
    messages = scheduler_error(request_for(movie, screens, last_day=date(2026, 11, 26)))
    assert messages == ["Schedule at most 5 days at a time."]
    assert len(schedule_shows(request_for(movie, screens[:1], last_day=date(2026, 11, 25), times=[time(10)])).created) == 5


@pytest.mark.django_db
def test_no_times_and_no_screens(movie):
    messages = scheduler_error(request_for(movie, [], times=[]))
    assert messages == ["Give at least one start time.", "Choose at least one screen."]


@pytest.mark.django_db
def test_unsupported_format(movie, screens):
    messages = scheduler_error(request_for(movie, screens, format="IMAX"))
    assert messages == ["Marquee Juhu — Screen 1 is a 2D screen and cannot show IMAX."]


@pytest.mark.django_db
def test_language_not_of_the_movie(movie, screens):
    messages = scheduler_error(request_for(movie, screens, language=make_language("Tamil")))
    assert messages == ["“Dune” is not released in Tamil. Add the language to the movie first."]


@pytest.mark.django_db
def test_missing_prices(movie, screens):
    messages = scheduler_error(request_for(movie, screens, prices={"Classic": Decimal("180")}))
    assert messages == [
        "Set a price for every seat category of Screen 1; missing: Prime. (Or give the screen or its theater a price card.)",
        "Set a price for every seat category of Screen 2; missing: Prime. (Or give the screen or its theater a price card.)",
    ]


@pytest.mark.django_db
def test_price_of_zero(movie, screens):
    messages = scheduler_error(request_for(movie, screens, prices={"Prime": Decimal("0"), "Classic": Decimal("180")}))
    assert messages == ["The price for “Prime” must be at least ₹1."]


@pytest.mark.django_db
def test_prices_for_categories_of_other_layouts_are_ignored(movie, screens):
    prices = {**PRICES, "Recliner": Decimal("500")}
    result = schedule_shows(request_for(movie, screens[:1], last_day=date(2026, 11, 21), times=[time(10)], prices=prices))
    assert result.created[0].price_map() == PRICES


@pytest.mark.django_db
def test_an_error_anywhere_schedules_nothing(movie, layout):
    two_d = make_screen(seat_layout=layout)
    imax = make_screen(seat_layout=layout, format="IMAX")
    with pytest.raises(SchedulerError):
        schedule_shows(request_for(movie, [imax, two_d], format="IMAX"))
    assert not ShowPage.objects.exists() and not ShowSeat.objects.exists()


@pytest.mark.django_db
def test_prices_below_one_rupee_are_refused(movie, screen):
    from datetime import date
    from datetime import time as clock_time

    from cinema.scheduler import ScheduleRequest, SchedulerError, schedule_shows

    prices = {name: Decimal("0.50") for name in screen.seat_layout.category_names()}
    request = ScheduleRequest(
        movie=movie,
        screens=[screen],
        first_day=date(2026, 11, 23),
        last_day=date(2026, 11, 23),
        times=[clock_time(18)],
        language=movie.languages.first(),
        format="2D",
        prices=prices,
    )
    with pytest.raises(SchedulerError) as excinfo:
        schedule_shows(request)
    assert any("must be at least ₹1" in message for message in excinfo.value.messages)
