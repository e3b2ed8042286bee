"""Changing a card re-prices future shows nobody has booked whose prices came from the card,
never the others; the snippet editor refuses overlapping rules and bad input."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cinema.models import PriceCard, ShowPage
from cinema.repricing import reprice_future_shows
from cinema.scheduler import ScheduleRequest, schedule_shows
from core.versions import CONTENT, current
from tests.cinema.cards import make_card
from tests.factories import local_dt, make_show, make_theater
from ticketing.models import ShowSeat


@pytest.fixture
def theater(layout):
    return make_theater(title="Juhu", slug="juhu", screens=[{"name": "Screen 1", "seat_layout": layout}])


@pytest.fixture
def screen(theater):
    return theater.screens.get()


@pytest.fixture
def card(theater):
    return make_card("Juhu prices", theater=theater, rules=[("Prime", "250"), ("Classic", "180")])


def schedule(movie, screen, day, hour, prices=None, publish=True):
    request = ScheduleRequest(
        movie=movie,
        screens=[screen],
        first_day=day,
        last_day=day,
        times=[time(hour)],
        language=movie.languages.first(),
        format="2D",
        prices=prices or {},
        publish=publish,
    )
    return schedule_shows(request).created[0]


def amounts(show) -> dict[str, Decimal]:
    return {p.category: p.amount for p in show.prices.all()}


def set_card_price(card, category, amount):
    rule = card.rules.get(category=category)
    rule.amount = Decimal(amount)
    rule.save()


@pytest.fixture
def shows(movie, screen, card):
    day = date(2026, 11, 22)
    made = {
        "free": schedule(movie, screen, day, 10),
        "held": schedule(movie, screen, day, 13),
        "sold": schedule(movie, screen, day, 16),
        "by_hand": schedule(movie, screen, day, 19, prices={"Prime": Decimal("240"), "Classic": Decimal("170")}),
        "partly_typed": schedule(movie, screen, day, 22, prices={"Prime": Decimal("240")}),
        "draft": schedule(movie, screen, date(2026, 11, 23), 10, publish=False),
    }
    ShowSeat.objects.filter(show=made["held"], label="A1").update(state="held")
    ShowSeat.objects.filter(show=made["sold"], label="B1").update(state="sold")
    # a show already past: priced by the card, but it started before the card changed
    past = make_show(movie=movie, screen=screen, starts_at=local_dt(2026, 11, 20, 8))
    past.prices.update(from_card=True)
    made["past"] = past
    return made


@pytest.mark.django_db
def test_only_eligible_future_shows_are_repriced(shows, card, screen, django_capture_on_commit_callbacks):
    set_card_price(card, "Prime", "275")
    set_card_price(card, "Classic", "190")
    version = current(CONTENT)[CONTENT]
    with django_capture_on_commit_callbacks(execute=True):
        report = reprice_future_shows([screen.pk])
    assert amounts(shows["free"]) == {"Prime": Decimal("275.00"), "Classic": Decimal("190.00")}
    assert amounts(shows["partly_typed"]) == {"Prime": Decimal("240.00"), "Classic": Decimal("190.00")}
    for untouched in ("held", "sold", "draft"):
        assert amounts(shows[untouched]) == {"Prime": Decimal("250.00"), "Classic": Decimal("180.00")}, untouched
    assert amounts(shows["by_hand"]) == {"Prime": Decimal("240.00"), "Classic": Decimal("170.00")}
    assert shows["past"].prices.filter(amount=Decimal("275")).count() == 0
    assert (report.repriced, report.seats_taken, report.by_hand, report.drafts, report.no_rule) == (2, 2, 1, 1, 0)
    assert report.message() == (
        "2 future shows re-priced; 4 left alone: 2 with seats held or sold, 1 with every price typed by hand, "
        "1 with unpublished changes (publish or review them first)."
    )
    assert current(CONTENT)[CONTENT] != version  # cached show pages are dropped


@pytest.mark.django_db
def test_repricing_takes_a_fixed_number_of_queries(movie, screen, card):
    for hour in (10, 13, 16, 19, 22):
        schedule(movie, screen, date(2026, 11, 22), hour)
    set_card_price(card, "Prime", "275")
    with CaptureQueriesContext(connection) as queries:
        report = reprice_future_shows([screen.pk])
    assert report.repriced == 5
    assert len(queries) <= 8  # shows, screens, cards, rules, holidays, prices, one UPDATE (+ version bump)


@pytest.mark.django_db
def test_a_deleted_screen_card_hands_its_shows_back_to_the_theater_card(movie, screen, card):
    screen_card = make_card("Screen 1 prices", screen=screen, rules=[("Prime", "400")])
    show = schedule(movie, screen, date(2026, 11, 22), 10)
    assert amounts(show)["Prime"] == Decimal("400.00")
    screen_card.delete()
    report = reprice_future_shows([screen.pk])
    assert report.repriced == 1
    assert amounts(show)["Prime"] == Decimal("250.00")
    assert show.prices.get(category="Prime").rule.card == card


# --- the snippet editor -----------------------------------------------------------------------
def card_form(theater=None, screen=None, rules=(), name="Juhu prices", initial=0):
    return nested_form_data(
        {
            "name": name,
            "theater": theater.pk if theater else "",
            "screen": screen.pk if screen else "",
            "rules": inline_formset(
                [
                    {"category": c, "day_type": d, "time_band": t, "format": f, "amount": a, **({"id": pk} if pk else {})}
                    for c, d, t, f, a, pk in [(*r, None) if len(r) == 5 else r for r in rules]
                ],
                initial=initial,
                min=1,
            ),
        }
    )


def add_url():
    return reverse("wagtailsnippets_cinema_pricecard:add")


def errors(response) -> list[str]:
    assert response.status_code == 200
    form = response.context["form"]
    return [str(e) for e in form.non_field_errors()] + [f"{k}: {v}" for k, v in form.errors.items() if k != "__all__"]


@pytest.mark.django_db
def test_overlapping_rules_are_refused_naming_the_overlap(admin_client, theater):
    response = admin_client.post(
        add_url(),
        card_form(
            theater,
            rules=[("Prime", "weekend", "", "", "300"), ("Prime", "", "evening", "2D", "280"), ("Classic", "", "", "", "180")],
        ),
    )
    assert errors(response) == [
        "Rules “Prime · weekend · any time · any format” and “Prime · any day · evening · 2D” overlap: "
        "a show could match both. Narrow one of them or remove it."
    ]
    assert not PriceCard.objects.exists()


@pytest.mark.django_db
def test_rules_that_differ_in_one_field_do_not_overlap(admin_client, theater):
    response = admin_client.post(
        add_url(),
        card_form(theater, rules=[("Prime", "weekend", "", "", "300"), ("Prime", "weekday", "evening", "2D", "280")]),
    )
    assert response.status_code == 302
    assert PriceCard.objects.get().rules.count() == 2


@pytest.mark.parametrize(
    ("where", "rules", "expected"),
    [
        ("both", [("Prime", "", "", "", "250")], "Choose a theater or a screen for the card, not both."),
        ("neither", [("Prime", "", "", "", "250")], "Choose a theater or a screen for the card, not both."),
        (
            "theater",
            [("Gold", "", "", "", "250")],
            "“Gold” is not a seat category of this card's screens (their categories: Prime, Classic).",
        ),
        ("theater", [("Prime", "", "", "", "0")], "A price must be at least ₹1."),
        ("theater", [("Prime", "", "", "", "12.345")], "Ensure that there are no more than 2 decimal places."),
        ("theater", [("Prime", "someday", "", "", "250")], "Select a valid choice. someday is not one of the available choices."),
    ],
)
@pytest.mark.django_db
def test_bad_input_is_a_form_error_and_saves_nothing(admin_client, theater, screen, where, rules, expected):
    places = {"both": (theater, screen), "neither": (None, None), "theater": (theater, None)}[where]
    response = admin_client.post(add_url(), card_form(*places, rules=rules))
    assert response.status_code == 200
    page = response.content.decode()
    assert expected.replace("'", "&#x27;") in page or expected in page
    assert not PriceCard.objects.exists()


@pytest.mark.django_db
def test_a_second_card_for_the_same_theater_is_refused(admin_client, theater, card):
    response = admin_client.post(add_url(), card_form(theater, rules=[("Prime", "", "", "", "250")], name="Another"))
    assert "This theater already has a price card; edit that one." in response.content.decode()
    assert PriceCard.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits: re-pricing runs once the save commits
def test_editing_a_card_reprices_after_commit_and_tells_the_editor(admin_client, movie, screen, theater, card, shows):
    rules = [
        (r.category, r.day_type, r.time_band, r.format, "260" if r.category == "Prime" else str(r.amount), r.pk)
        for r in card.rules.all()
    ]
    url = reverse("wagtailsnippets_cinema_pricecard:edit", args=(card.pk,))
    response = admin_client.post(url, card_form(theater, rules=rules, initial=2), follow=True)
    assert response.status_code == 200
    assert amounts(shows["free"])["Prime"] == Decimal("260.00")
    assert amounts(shows["held"])["Prime"] == Decimal("250.00")
    shown = [str(m) for m in response.context["messages"]]
    assert (
        "1 future show re-priced; 4 left alone: 2 with seats held or sold, 1 with every price typed by hand, "
        "1 with unpublished changes (publish or review them first); 1 show already at the card's price."
    ) in shown
    assert ShowPage.objects.filter(prices__amount=Decimal("260")).count() == 1  # free; partly_typed keeps its typed Prime


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_adding_a_holiday_reprices_that_days_shows(admin_client, movie, theater, screen):
    make_card(
        "Juhu prices",
        theater=theater,
        rules=[("Prime", "250", {"day_type": "weekday"}), ("Prime", "320", {"day_type": "holiday"}), ("Classic", "180")],
    )
    monday = schedule(movie, screen, date(2026, 11, 23), 18)
    tuesday = schedule(movie, screen, date(2026, 11, 24), 18)
    response = admin_client.post(
        reverse("wagtailsnippets_cinema_holiday:add"), {"date": "2026-11-23", "name": "Guru Nanak Jayanti"}, follow=True
    )
    assert response.status_code == 200
    assert amounts(monday)["Prime"] == Decimal("320.00")
    assert amounts(tuesday)["Prime"] == Decimal("250.00")
    assert "1 future show re-priced; 0 left alone; 1 show already at the card's price." in [
        str(m) for m in response.context["messages"]
    ]
