"""Food fixtures: the default show's theater sells large popcorn (₹300) and a cola (₹120),
and a bundle of two Prime seats and two popcorns (₹900). A1 + A2 (Classic, ₹200 each) cost
₹542.80 on their own; two popcorns add ₹600 and ₹30 GST at 5%."""

import pytest

from tests.counter.conftest import seller, shift, supervisor  # noqa: F401  (the counter's fixtures)
from tests.factories import make_concession


@pytest.fixture
def popcorn(db):
    return make_concession()


@pytest.fixture
def cola(db):
    return make_concession(sku="COLA", name="Cola 500 ml", price="120.00", category="drinks")


@pytest.fixture
def bundle(db):
    return make_concession(
        sku="BND-2P", name="2 Prime + 2 popcorn", price="900.00", category="bundles", seats_included=2, seat_category="Prime"
    )


@pytest.fixture
def theater(show):
    return show.screen.theater
