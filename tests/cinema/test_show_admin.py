"""Creating a show in the Wagtail page editor: the same rules as everywhere, shown as form
errors, and nothing saved when a rule is broken."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cinema.models import ShowPage
from tests.factories import local_dt, make_language, make_layout, make_movie, make_screen, make_show, make_user, row
from ticketing.models import ShowSeat


def add_url(movie):
    return reverse("wagtailadmin_pages:add", args=("cinema", "showpage", movie.pk))


def show_form(screen, language, starts_at="2026-11-21 18:00", prices=None, publish=True, **fields):
    prices = {"Prime": "250.00", "Classic": "180.00"} if prices is None else prices
    data = {
        "screen": screen.pk,
        "starts_at": starts_at,
        "language": language.pk,
        "format": "2D",
        "status": "on_sale",
        "prices": inline_formset([{"category": c, "amount": a} for c, a in prices.items()], min=1),
        "booking_opens_at": "",
        "booking_closes_at": "",
        "max_per_booking": "10",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(fields)
    if publish:
        data["action-publish"] = "action-publish"
    return nested_form_data(data)


def form_errors(response) -> list[str]:
    assert response.status_code == 200
    form = response.context["form"]
    return form.non_field_errors()


@pytest.mark.django_db
def test_editor_creates_a_published_show_with_seats_and_prices(admin_client, movie, screen, hindi):
    response = admin_client.post(add_url(movie), show_form(screen, hindi))
    assert response.status_code == 302
    show = ShowPage.objects.get()
    assert show.live
    assert show.get_parent().specific == movie and show.movie_id == movie.pk
    assert show.slug == f"2026-11-21-1800-{screen.theater.slug}-screen-1"
    assert show.starts_at == local_dt(2026, 11, 21, 18, 0)
    assert {k: str(v) for k, v in show.price_map().items()} == {"Prime": "250.00", "Classic": "180.00"}
    assert ShowSeat.objects.filter(show=show).count() == 20


@pytest.mark.django_db
def test_an_editor_with_page_permissions_creates_a_show(client, movie, screen, hindi):
    editor = make_user()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.post(add_url(movie), show_form(screen, hindi, publish=False))
    assert response.status_code == 302
    show = ShowPage.objects.get()
    assert not show.live and show.owner == editor
    assert ShowSeat.objects.filter(show=show).count() == 20


@pytest.mark.django_db
def test_a_user_without_page_permissions_cannot_create_a_show(client, movie, screen, hindi):
    client.force_login(make_user("wagtailadmin.access_admin"))
    response = client.post(add_url(movie), show_form(screen, hindi))
    assert response.status_code in (302, 403)
    assert not ShowPage.objects.exists()


@pytest.mark.django_db
def test_editor_sees_the_overlap_and_nothing_is_created(admin_client, movie, screen, hindi):
    make_show(movie=movie, screen=screen, starts_at=local_dt(2026, 11, 21, 18, 0))
    other = make_movie(languages=[hindi], title="Sholay", slug="sholay")
    response = admin_client.post(add_url(other), show_form(screen, hindi, starts_at="2026-11-21 20:30"))
    message = (
        "The screen is busy with “Dune” from 21 Nov 18:00 until 20:45 (including 15 minutes of cleaning). "
        "Choose another time or screen."
    )
    assert message in form_errors(response)
    assert message in response.content.decode()
    assert ShowPage.objects.count() == 1
    assert other.get_children().count() == 0


@pytest.mark.django_db
def test_editor_can_use_the_slot_right_after_cleaning(admin_client, movie, screen, hindi):
    make_show(movie=movie, screen=screen, starts_at=local_dt(2026, 11, 21, 18, 0))
    response = admin_client.post(add_url(movie), show_form(screen, hindi, starts_at="2026-11-21 20:45"))
    assert response.status_code == 302
    assert ShowPage.objects.count() == 2


@pytest.mark.django_db
def test_editor_sees_a_language_the_movie_is_not_released_in(admin_client, movie, screen):
    tamil = make_language("Tamil")
    response = admin_client.post(add_url(movie), show_form(screen, tamil))
    assert "“Dune” is not released in Tamil. Add the language to the movie first." in form_errors(response)
    assert not ShowPage.objects.exists()


@pytest.mark.django_db
def test_editor_sees_a_format_the_screen_cannot_show(admin_client, movie, screen, hindi):
    response = admin_client.post(add_url(movie), show_form(screen, hindi, format="IMAX"))
    expected = f"Screen 1 at {screen.theater.title} is a 2D screen and cannot show IMAX."
    assert expected in form_errors(response)
    assert not ShowPage.objects.exists()


@pytest.mark.django_db
def test_editor_sees_a_missing_price_category(admin_client, movie, screen, hindi):
    response = admin_client.post(add_url(movie), show_form(screen, hindi, prices={"Classic": "180"}))
    assert (
        "Set a price for every seat category of Screen 1; missing: Prime. (Or give the screen or its theater a price card.)"
        in form_errors(response)
    )
    assert not ShowPage.objects.exists()


@pytest.mark.django_db
def test_editor_sees_an_unknown_price_category(admin_client, movie, screen, hindi):
    prices = {"Prime": "250", "Classic": "180", "Recliner": "500"}
    response = admin_client.post(add_url(movie), show_form(screen, hindi, prices=prices))
    assert "“Recliner” is not a seat category of Screen 1 (its categories: Prime, Classic)." in form_errors(response)
    assert not ShowPage.objects.exists()


@pytest.mark.django_db
def test_editor_sees_a_category_priced_twice(admin_client, movie, screen, hindi):
    data = show_form(screen, hindi)
    data.update(
        nested_form_data(
            {
                "prices": inline_formset(
                    [
                        {"category": "Prime", "amount": "250"},
                        {"category": "Classic", "amount": "180"},
                        {"category": "classic", "amount": "150"},
                    ],
                    min=1,
                )
            }
        )
    )
    response = admin_client.post(add_url(movie), data)
    assert "“classic” has two prices; keep one." in form_errors(response)
    assert not ShowPage.objects.exists()


@pytest.mark.django_db
def test_price_categories_match_without_case(admin_client, movie, screen, hindi):
    response = admin_client.post(add_url(movie), show_form(screen, hindi, prices={"prime": "250", "CLASSIC": "180"}))
    assert response.status_code == 302
    assert ShowPage.objects.get().prices.count() == 2


@pytest.mark.django_db
def test_price_categories_follow_the_chosen_screens_layout(admin_client, movie, hindi):
    layout = make_layout(categories=["Recliner", "Classic"], rows=[row("A", 4, "Recliner"), row("B", 4, "Classic")])
    screen = make_screen(seat_layout=layout, name="Gold")
    response = admin_client.post(add_url(movie), show_form(screen, hindi))
    errors = form_errors(response)
    assert "“Prime” is not a seat category of Gold (its categories: Recliner, Classic)." in errors
    assert (
        "Set a price for every seat category of Gold; missing: Recliner. (Or give the screen or its theater a price card.)"
        in errors
    )
    assert not ShowPage.objects.exists()
