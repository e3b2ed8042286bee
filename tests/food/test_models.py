"""The menu as editor content: bad prices and duplicate SKUs are refused with a message."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cinema.models import ConcessionItem
from tests.factories import make_concession


def errors_of(item) -> dict:
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    return caught.value.message_dict


def test_skus_are_stored_in_capitals(db):
    assert make_concession(sku=" pop-m ").sku == "POP-M"


def test_a_duplicate_sku_is_refused(popcorn):
    assert "sku" in errors_of(ConcessionItem(sku="pop-l", name="Again", price=Decimal("10")))


@pytest.mark.parametrize("price", ["0", "-5", "100000"])
def test_bad_prices_are_refused(db, price):
    assert "price" in errors_of(ConcessionItem(sku="X1", name="X", price=Decimal(price)))


def test_a_sku_with_odd_characters_is_refused(db):
    assert "sku" in errors_of(ConcessionItem(sku="POP L!", name="X", price=Decimal("10")))


def test_a_bundle_names_its_seats_and_sits_under_bundles(db):
    assert "seat_category" in errors_of(
        ConcessionItem(sku="B1", name="B", price=Decimal("500"), category="bundles", seats_included=2)
    )
    assert "category" in errors_of(
        ConcessionItem(sku="B1", name="B", price=Decimal("500"), seats_included=2, seat_category="Prime")
    )
