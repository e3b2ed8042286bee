"""Admin actions that would break shows are refused with a message instead of a 500."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cinema.models import Screen, TheaterPage
from tests.factories import make_show, make_theater

pytestmark = pytest.mark.django_db


def theater_edit_data(theater, screens):
    return nested_form_data(
        {
            "title": theater.title,
            "slug": theater.slug,
            "city": theater.city,
            "address": theater.address,
            "screens": inline_formset(screens, initial=theater.screens.count()),
            "comments": inline_formset([]),
        }
    )


def screen_row(screen, delete=False):
    return {
        "id": screen.pk,
        "name": screen.name,
        "format": screen.format,
        "seat_layout": screen.seat_layout_id,
        "ORDER": 1,
        "DELETE": "on" if delete else "",
    }


def test_removing_a_screen_with_shows_is_refused(admin_client, movie):
    theater = make_theater(screens=[{}, {}])
    screen, other = theater.screens.all()
    make_show(movie=movie, screen=screen)
    data = theater_edit_data(theater, [screen_row(screen, delete=True), screen_row(other)])
    data["action-publish"] = "action-publish"
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[theater.pk]), data)
    assert response.status_code == 200
    assert "has shows scheduled, so it cannot be removed" in response.content.decode()
    assert Screen.objects.filter(pk=screen.pk).exists()


def test_editing_a_theater_with_shows_still_works(admin_client, movie, screen):
    make_show(movie=movie, screen=screen)
    theater = TheaterPage.objects.get(pk=screen.theater_id)
    data = theater_edit_data(theater, [screen_row(screen)])
    data["city"] = "Pune"
    data["action-publish"] = "action-publish"
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[theater.pk]), data)
    assert response.status_code == 302
    assert TheaterPage.objects.get(pk=theater.pk).city == "Pune"


def test_deleting_a_theater_with_shows_is_refused(admin_client, movie, screen):
    make_show(movie=movie, screen=screen)
    theater_id = screen.theater_id
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[theater_id]), follow=True)
    assert TheaterPage.objects.filter(pk=theater_id).exists()
    assert "has shows scheduled on its screens" in response.content.decode()


def test_deleting_a_theater_without_shows_works(admin_client, screen):
    theater_id = screen.theater_id
    admin_client.post(reverse("wagtailadmin_pages:delete", args=[theater_id]))
    assert not TheaterPage.objects.filter(pk=theater_id).exists()


def test_movie_page_offers_schedule_button(admin_client, movie):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[movie.pk]))
    assert f"{reverse('cinema_scheduler')}?movie={movie.pk}" in response.content.decode()


def test_screen_names_that_make_the_same_address_are_refused(admin_client):
    theater = make_theater(screens=[{}])
    (screen,) = theater.screens.all()
    data = theater_edit_data(theater, [screen_row(screen), {**screen_row(screen), "id": "", "name": "screen-1"}])
    data["action-publish"] = "action-publish"
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[theater.pk]), data)
    assert response.status_code == 200
    assert "are too alike" in response.content.decode()
    assert theater.screens.count() == 1
