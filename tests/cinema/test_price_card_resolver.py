"""The one resolver: screen card over theater card, day types with holidays, time band edges,
formats, and a fixed number of queries however many shows a PriceBook prices."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cinema.models import Holiday
from cinema.price_cards import PriceBook, resolve_price
from cinema.price_rules import day_type, time_band
from tests.cinema.cards import make_card
from tests.factories import local_dt, make_theater

# Frozen clock: Friday 20 November 2026. 21st Saturday, 23rd Monday.
FRIDAY_EVENING = local_dt(2026, 11, 20, 18)


@pytest.fixture
def theater(layout):
    return make_theater(
        title="Juhu",
        slug="juhu",
        screens=[{"name": "Screen 1", "seat_layout": layout}, {"name": "IMAX", "seat_layout": layout, "format": "IMAX"}],
    )


@pytest.fixture
def screens(theater):
    return {screen.name: screen for screen in theater.screens.all()}


def amount(screen, starts_at, fmt="2D", category="Prime"):
    priced = resolve_price(screen, starts_at, fmt, category)
    return priced and priced.amount


@pytest.mark.django_db
def test_a_screen_card_wins_over_its_theater_card_and_falls_back_rule_by_rule(theater, screens):
    theater_card = make_card("Juhu", theater=theater, rules=[("Prime", "250"), ("Classic", "180")])
    imax_card = make_card("Juhu IMAX", screen=screens["IMAX"], rules=[("Prime", "500")])
    imax_prime = resolve_price(screens["IMAX"], FRIDAY_EVENING, "2D", "Prime")
    assert (imax_prime.amount, imax_prime.card, imax_prime.rule.category) == (Decimal("500.00"), imax_card, "Prime")
    assert resolve_price(screens["IMAX"], FRIDAY_EVENING, "2D", "Classic").card == theater_card
    assert resolve_price(screens["Screen 1"], FRIDAY_EVENING, "2D", "Prime").card == theater_card
    assert resolve_price(screens["Screen 1"], FRIDAY_EVENING, "2D", "Recliner") is None


@pytest.mark.django_db
def test_no_card_prices_nothing(screens):
    assert resolve_price(screens["Screen 1"], FRIDAY_EVENING, "2D", "Prime") is None


@pytest.mark.django_db
def test_day_types_weekday_weekend_and_holiday(theater, screens):
    make_card(
        "Juhu",
        theater=theater,
        rules=[
            ("Prime", "200", {"day_type": "weekday"}),
            ("Prime", "260", {"day_type": "weekend"}),
            ("Prime", "300", {"day_type": "holiday"}),
        ],
    )
    screen = screens["Screen 1"]
    assert amount(screen, local_dt(2026, 11, 20, 18)) == Decimal("200")  # Friday
    assert amount(screen, local_dt(2026, 11, 21, 18)) == Decimal("260")  # Saturday
    assert amount(screen, local_dt(2026, 11, 22, 18)) == Decimal("260")  # Sunday
    Holiday.objects.create(date=date(2026, 11, 23), name="Guru Nanak Jayanti")  # a Monday
    Holiday.objects.create(date=date(2026, 11, 28), name="Test holiday on a Saturday")
    assert amount(screen, local_dt(2026, 11, 23, 18)) == Decimal("300")
    assert amount(screen, local_dt(2026, 11, 28, 18)) == Decimal("300")
    assert amount(screen, local_dt(2026, 11, 24, 18)) == Decimal("200")


@pytest.mark.parametrize(
    ("at", "band"),
    [
        (time(5, 59), "night"),
        (time(6, 0), "morning"),
        (time(11, 59), "morning"),
        (time(12, 0), "matinee"),
        (time(15, 59), "matinee"),
        (time(16, 0), "evening"),
        (time(19, 59), "evening"),
        (time(20, 0), "night"),
        (time(23, 59), "night"),
        (time(0, 0), "night"),
    ],
)
def test_time_band_edges(at, band):
    assert time_band(at) == band


def test_a_holiday_is_a_holiday_on_any_weekday():
    assert day_type(date(2026, 11, 21), set()) == "weekend"
    assert day_type(date(2026, 11, 21), {date(2026, 11, 21)}) == "holiday"
    assert day_type(date(2026, 11, 20), set()) == "weekday"


@pytest.mark.django_db
def test_time_bands_price_by_start_time_in_india(theater, screens):
    make_card(
        "Juhu", theater=theater, rules=[("Prime", "150", {"time_band": "morning"}), ("Prime", "220", {"time_band": "matinee"})]
    )
    screen = screens["Screen 1"]
    assert amount(screen, local_dt(2026, 11, 21, 11, 59)) == Decimal("150")
    assert amount(screen, local_dt(2026, 11, 21, 12, 0)) == Decimal("220")
    assert amount(screen, local_dt(2026, 11, 21, 16, 0)) is None  # evening: no rule


@pytest.mark.django_db
def test_format_rules_and_any_format(theater, screens):
    make_card(
        "Juhu",
        theater=theater,
        rules=[("Prime", "250"), ("Classic", "180", {"format": "2D"}), ("Classic", "330", {"format": "IMAX"})],
    )
    imax = screens["IMAX"]
    assert amount(imax, FRIDAY_EVENING, "IMAX", "Classic") == Decimal("330")
    assert amount(imax, FRIDAY_EVENING, "2D", "Classic") == Decimal("180")
    assert amount(imax, FRIDAY_EVENING, "3D", "Classic") is None
    assert amount(imax, FRIDAY_EVENING, "3D", "Prime") == Decimal("250")


@pytest.mark.django_db
def test_the_most_specific_rule_answers_and_the_category_is_matched_without_case(theater, screens):
    make_card("Juhu", theater=theater, rules=[("Prime", "250", {"day_type": "weekend", "time_band": "evening", "format": "2D"})])
    assert amount(screens["Screen 1"], local_dt(2026, 11, 21, 18), "2D", "prime") == Decimal("250")


@pytest.mark.django_db
def test_a_price_book_reads_cards_and_holidays_once(theater, screens):
    make_card("Juhu", theater=theater, rules=[("Prime", "250"), ("Classic", "180")])
    make_card("Juhu IMAX", screen=screens["IMAX"], rules=[("Prime", "500")])
    with CaptureQueriesContext(connection) as queries:
        book = PriceBook(screens.values())
        for day in range(20, 27):
            for screen in screens.values():
                book.prices(screen, local_dt(2026, 11, day, 18), "2D", ["Prime", "Classic"])
    assert len(queries) == 3  # cards, their rules, holidays
