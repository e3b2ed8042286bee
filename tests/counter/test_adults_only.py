"""An A film at the counter: the sell page tells the seller it is for adults only, and a sale of
its tickets records the seller as the one who checked, when, as a hold records the customer's
own word online."""

import pytest

from tests.counter.conftest import sell_cash
from tests.factories import make_movie, make_show
from tests.fixtures.base import FROZEN_AT
from ticketing.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_show(show):
    movie = make_movie(title="Night Shift", slug="night-shift", certification="A")
    return make_show(movie=movie, screen=show.screen, starts_at=show.starts_at.replace(hour=22))


def test_an_a_film_sale_records_the_seller_who_checked(seller, shift, a_show):
    booking = Booking.objects.get(pk=sell_cash(seller, a_show, ["A1"]).booking.pk)
    assert booking.age_confirmed_by == seller and booking.age_confirmed_at == FROZEN_AT


def test_other_films_record_nothing(seller, shift, show):
    booking = Booking.objects.get(pk=sell_cash(seller, show, ["A1"]).booking.pk)
    assert booking.age_confirmed_by is None and booking.age_confirmed_at is None


def test_the_sell_page_says_an_a_film_is_for_adults_only(as_seller, shift, show, a_show):
    page = as_seller.get(f"/admin/counter/shows/{a_show.pk}/").content.decode()
    assert "Night Shift is rated A: adults only." in page and "the sale records you as the one who checked" in page
    assert "data-adults-only" not in as_seller.get(f"/admin/counter/shows/{show.pk}/").content.decode()
