"""Shows take their prices from cards: the scheduler, the show editor and seed data; a
price typed by hand overrides the card and is recorded as an override."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.timezone import localtime
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cinema.models import ShowPage
from cinema.scheduler import ScheduleRequest, schedule_shows
from tests.cinema.cards import make_card
from tests.factories import make_theater, make_user


@pytest.fixture
def theater(layout):
    return make_theater(title="Juhu", slug="juhu", screens=[{"name": "Screen 1", "seat_layout": layout}])


@pytest.fixture
def screen(theater):
    return theater.screens.get()


@pytest.fixture
def card(theater):
    return make_card(
        "Juhu prices",
        theater=theater,
        rules=[
            ("Prime", "250", {"day_type": "weekday"}),
            ("Prime", "300", {"day_type": "weekend"}),
            ("Classic", "180", {"time_band": "matinee"}),
            ("Classic", "200", {"time_band": "evening"}),
        ],
    )


def request_for(movie, screen, **overrides):
    values = {
        "movie": movie,
        "screens": [screen],
        "first_day": date(2026, 11, 20),
        "last_day": date(2026, 11, 21),
        "times": [time(12, 0), time(18, 30)],
        "language": movie.languages.first(),
        "format": "2D",
        "prices": {},
    }
    values.update(overrides)
    return ScheduleRequest(**values)


def prices_of(show) -> dict[str, tuple]:
    return {p.category: (p.amount, p.from_card, p.rule_id) for p in show.prices.all()}


@pytest.mark.django_db
def test_the_scheduler_fills_every_price_from_the_card(movie, screen, card):
    result = schedule_shows(request_for(movie, screen))
    assert len(result.created) == 4 and not result.refused
    rules = {(r.category, r.amount): r.pk for r in card.rules.all()}
    by_start = {(localtime(s.starts_at).day, localtime(s.starts_at).hour): s for s in ShowPage.objects.all()}
    friday_noon = by_start[(20, 12)]
    assert prices_of(friday_noon) == {
        "Prime": (Decimal("250.00"), True, rules[("Prime", Decimal("250.00"))]),
        "Classic": (Decimal("180.00"), True, rules[("Classic", Decimal("180.00"))]),
    }
    saturday_evening = by_start[(21, 18)]
    assert {c: a for c, (a, _, _) in prices_of(saturday_evening).items()} == {
        "Prime": Decimal("300.00"),
        "Classic": Decimal("200.00"),
    }
    assert result.created[0].priced_by == "card “Juhu prices” (Prime, Classic)"


@pytest.mark.django_db
def test_a_price_typed_in_the_scheduler_overrides_the_card(movie, screen, card):
    result = schedule_shows(
        request_for(movie, screen, last_day=date(2026, 11, 20), times=[time(12)], prices={"Prime": Decimal("199")})
    )
    show = result.created[0]
    assert prices_of(show)["Prime"] == (Decimal("199.00"), False, None)
    assert prices_of(show)["Classic"][:2] == (Decimal("180.00"), True)
    assert show.priced_by == "card “Juhu prices” (Classic); typed: Prime"


@pytest.mark.django_db
def test_a_show_the_card_cannot_price_is_refused_with_the_reason(movie, screen, card):
    saturday = date(2026, 11, 21)
    result = schedule_shows(request_for(movie, screen, first_day=saturday, last_day=saturday, times=[time(10), time(12)]))
    assert [localtime(s.starts_at).hour for s in result.created] == [12]
    assert len(result.refused) == 1
    assert (
        result.refused[0].reason
        == "No price for Classic: no price card rule matches (weekend · morning · 2D) and none was typed."
    )


@pytest.mark.django_db
def test_the_scheduler_view_says_which_card_priced_each_show(client, movie, screen, card):
    client.force_login(make_user("cinema.schedule_shows", "wagtailadmin.access_admin"))
    response = client.post(
        reverse("cinema_scheduler"),
        {
            "movie": movie.pk,
            "screens": [screen.pk],
            "first_day": "2026-11-21",
            "last_day": "2026-11-21",
            "times": "12:00",
            "language": movie.languages.first().pk,
            "format": "2D",
            "max_per_booking": "10",
            "publish": "1",
        },
    )
    assert response.status_code == 200
    assert "1 shows published" in response.content.decode()
    assert "priced by card “Juhu prices” (Prime, Classic)" in response.content.decode()


# --- the show editor ---------------------------------------------------------------------------
def show_form(screen, language, prices, starts_at="2026-11-21 18:00", **fields):
    data = {
        "screen": screen.pk,
        "starts_at": starts_at,
        "language": language.pk,
        "format": "2D",
        "status": "on_sale",
        "prices": prices if isinstance(prices, dict) else inline_formset(prices),
        "booking_opens_at": "",
        "booking_closes_at": "",
        "max_per_booking": "10",
        "go_live_at": "",
        "expire_at": "",
        "action-publish": "action-publish",
    }
    data.update(fields)
    return nested_form_data(data)


def add_url(movie):
    return reverse("wagtailadmin_pages:add", args=("cinema", "showpage", movie.pk))


@pytest.mark.django_db
def test_an_editor_creating_a_show_without_prices_gets_the_cards(admin_client, movie, screen, hindi, card):
    response = admin_client.post(add_url(movie), show_form(screen, hindi, []))
    assert response.status_code == 302
    show = ShowPage.objects.get()
    assert {c: (a, f) for c, (a, f, _) in prices_of(show).items()} == {
        "Prime": (Decimal("300.00"), True),
        "Classic": (Decimal("200.00"), True),
    }
    page = admin_client.get(reverse("wagtailadmin_pages:edit", args=(show.pk,))).content.decode()
    assert "Prime ₹300.00: card “Juhu prices” (Prime · weekend · any time · any format)" in page


@pytest.mark.django_db
def test_a_price_typed_in_the_editor_is_an_override_the_rest_come_from_the_card(admin_client, movie, screen, hindi, card):
    response = admin_client.post(add_url(movie), show_form(screen, hindi, [{"category": "Prime", "amount": "275.00"}]))
    assert response.status_code == 302
    show = ShowPage.objects.get()
    assert prices_of(show)["Prime"] == (Decimal("275.00"), False, None)
    assert prices_of(show)["Classic"][:2] == (Decimal("200.00"), True)
    page = admin_client.get(reverse("wagtailadmin_pages:edit", args=(show.pk,))).content.decode()
    assert "Prime ₹275.00: typed by hand (overrides the card; never re-priced)" in page


@pytest.mark.django_db
def test_changing_a_card_price_in_the_editor_makes_it_an_override(admin_client, movie, screen, hindi, card):
    admin_client.post(add_url(movie), show_form(screen, hindi, []))
    show = ShowPage.objects.get()
    rows = list(show.prices.order_by("sort_order"))
    edited = inline_formset(
        [
            {"id": row.pk, "category": row.category, "amount": "333.00" if row.category == "Prime" else str(row.amount)}
            for row in rows
        ],
        initial=len(rows),
    )
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(show.pk,)), show_form(screen, hindi, edited))
    assert response.status_code == 302
    assert prices_of(show)["Prime"] == (Decimal("333.00"), False, None)
    assert prices_of(show)["Classic"][:2] == (Decimal("200.00"), True)


@pytest.mark.django_db
def test_the_editor_refuses_a_show_the_card_cannot_price(admin_client, movie, screen, hindi, card):
    response = admin_client.post(add_url(movie), show_form(screen, hindi, [], starts_at="2026-11-21 10:00"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "No price card prices Classic at Screen 1 for this show (weekend · morning · 2D). Type the price, or add a rule to the card."
    ]
    assert not ShowPage.objects.exists()


@pytest.mark.django_db
def test_without_a_card_every_price_must_be_typed(admin_client, movie, screen, hindi):
    response = admin_client.post(add_url(movie), show_form(screen, hindi, [{"category": "Prime", "amount": "250.00"}]))
    assert response.context["form"].non_field_errors() == [
        "Set a price for every seat category of Screen 1; missing: Classic. (Or give the screen or its theater a price card.)"
    ]
    assert not ShowPage.objects.exists()
