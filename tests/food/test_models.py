"""The menu as editor content: bad prices and duplicate SKUs are refused with a message."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

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


def item_form(sku="POP-XL", price="320.00", theaters=()):
    """The editor's add form as the browser posts it, with per-theater rows."""
    data = {
        "sku": sku,
        "name": "Extra large popcorn",
        "description": "",
        "price": price,
        "diet": "veg",
        "allergens": "",
        "category": "popcorn",
        "seats_included": "0",
        "seat_category": "",
        "active": "on",
        "sort_order": "100",
        "theater_overrides-TOTAL_FORMS": str(len(theaters)),
        "theater_overrides-INITIAL_FORMS": "0",
        "theater_overrides-MIN_NUM_FORMS": "0",
        "theater_overrides-MAX_NUM_FORMS": "1000",
    }
    for n, theater in enumerate(theaters):
        data.update(
            {
                f"theater_overrides-{n}-theater": str(theater.pk),
                f"theater_overrides-{n}-available": "on",
                f"theater_overrides-{n}-price": "",
                f"theater_overrides-{n}-ORDER": str(n + 1),
                f"theater_overrides-{n}-id": "",
                f"theater_overrides-{n}-DELETE": "",
            }
        )
    return data


def test_the_editor_adds_an_item_with_a_theater_row(admin_client, theater):
    response = admin_client.post(reverse("wagtailsnippets_cinema_concessionitem:add"), item_form(theaters=[theater]))
    assert response.status_code == 302, response.content.decode()[:2000]
    item = ConcessionItem.objects.get(sku="POP-XL")
    assert item.theater_overrides.count() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"price": "0"}, "Ensure this value is greater than or equal to 0.01"),
        ({"sku": "pop-l"}, "already"),
    ],
)
def test_the_editor_is_told_what_is_wrong(admin_client, popcorn, change, message):
    data = {**item_form(), **change}
    response = admin_client.post(reverse("wagtailsnippets_cinema_concessionitem:add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ConcessionItem.objects.count() == 1


def test_one_row_per_theater(admin_client, theater):
    response = admin_client.post(reverse("wagtailsnippets_cinema_concessionitem:add"), item_form(theaters=[theater, theater]))
    assert response.status_code == 200
    assert "Please correct the duplicate data for item and theater" in response.content.decode()
    assert not ConcessionItem.objects.filter(sku="POP-XL").exists()


def test_the_editor_previews_an_item_as_customers_see_it(admin_client, theater):
    url = reverse("wagtailsnippets_cinema_concessionitem:preview_on_add")
    form = {**item_form(theaters=[theater]), "allergens": "milk, gluten", "diet": "non_veg"}
    checked = admin_client.post(url, form)
    assert checked.status_code == 200 and checked.json()["is_valid"] is True
    html = admin_client.get(url).content.decode()
    assert "Extra large popcorn" in html and "₹320.00" in html and "Contains: milk, gluten" in html
    assert "diet--non_veg" in html and 'aria-label="Non-vegetarian"' in html
    assert not ConcessionItem.objects.filter(sku="POP-XL").exists()  # a preview saves nothing


def test_a_bad_preview_says_so(admin_client):
    url = reverse("wagtailsnippets_cinema_concessionitem:preview_on_add")
    assert admin_client.post(url, item_form(price="0")).json()["is_valid"] is False
