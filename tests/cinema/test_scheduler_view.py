"""The showtime scheduler admin view: permission gate, validation messages, idempotency."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from cinema.models import ShowPage
from ticketing.models import ShowSeat

pytestmark = pytest.mark.django_db
URL = reverse("cinema_scheduler")


def form_data(movie, screens, **overrides):
    """Prices: price_0/price_1 follow the order categories first appear across layouts."""
    data = {
        "movie": movie.pk,
        "screens": [s.pk for s in screens],
        "first_day": "2026-11-23",
        "last_day": "2026-11-24",
        "times": "10:00, 14:00, 18:30",
        "language": movie.languages.first().pk,
        "format": "2D",
        "max_per_booking": 10,
        "publish": "1",
        "price_0": "350.00",
        "price_1": "180.00",
    }
    data.update(overrides)
    return data


def user_with(*, groups=(), permissions=()):
    user = get_user_model().objects.create_user(username="staff", password="pw")
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_admin_access_alone_gets_403(client):
    client.force_login(user_with(permissions=["access_admin"]))
    assert client.get(URL).status_code == 403


def test_admin_access_alone_cannot_post_either(client, movie, screen):
    client.force_login(user_with(permissions=["access_admin"]))
    response = client.post(URL, form_data(movie, [screen]))
    assert response.status_code == 403
    assert not ShowPage.objects.exists()


def test_editors_group_can_schedule_and_rerun_skips(client, movie, screen):
    client.force_login(user_with(groups=["Editors"]))
    assert client.get(URL).status_code == 200

    response = client.post(URL, form_data(movie, [screen]))
    assert response.status_code == 200
    shows = ShowPage.objects.filter(movie=movie)
    assert shows.count() == 6  # 2 days × 3 times × 1 screen
    assert all(show.live for show in shows)
    assert ShowSeat.objects.count() == 6 * screen.seat_layout.capacity
    assert "6 created · 0 already existed · 0 refused" in response.content.decode()

    again = client.post(URL, form_data(movie, [screen]))
    assert ShowPage.objects.filter(movie=movie).count() == 6
    assert "0 created · 6 already existed · 0 refused" in again.content.decode()


def test_drafts_are_not_live(admin_client, movie, screen):
    admin_client.post(URL, form_data(movie, [screen], publish=""))
    shows = ShowPage.objects.filter(movie=movie)
    assert shows.count() == 6
    assert not any(show.live for show in shows)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"times": "10:00, 25:00"}, "“25:00” is not a time like 19:30"),
        ({"last_day": "2026-11-22"}, "The last day must be on or after the first day."),
        ({"last_day": "2027-01-30"}, "Schedule at most 31 days at a time."),
        ({"price_1": ""}, "missing: Classic"),
        ({"format": "IMAX"}, "cannot show IMAX"),
    ],
)
def test_bad_requests_explain_and_create_nothing(admin_client, movie, screen, overrides, message):
    response = admin_client.post(URL, form_data(movie, [screen], **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ShowPage.objects.exists()


def test_overlaps_are_reported_not_created(admin_client, movie, screen):
    response = admin_client.post(URL, form_data(movie, [screen], times="10:00, 11:00"))
    body = response.content.decode()
    assert ShowPage.objects.count() == 2  # 11:00 clashes with 10:00 on both days
    assert "2 created · 0 already existed · 2 refused" in body
    assert "Clashes with another show in this batch." in body


def test_times_already_passed_are_refused(admin_client, movie, screen):
    # The clock is frozen at 20 Nov 2026 10:00 IST: 09:00 today has passed, 18:30 has not.
    response = admin_client.post(
        URL, form_data(movie, [screen], first_day="2026-11-20", last_day="2026-11-20", times="09:00, 18:30")
    )
    assert ShowPage.objects.count() == 1
    assert "This time has already passed." in response.content.decode()
