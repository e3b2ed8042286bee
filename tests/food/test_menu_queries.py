"""The menu costs the same number of queries however many items have pictures: the pictures'
renditions come in one prefetch (cinema/concession_menu.py) and are made when the item is
saved, so no customer pays for them. The rendition cache is cleared first: the count holds
with it cold (after a deploy, an eviction), not only while it happens to be warm."""

import pytest
from django.core.cache import cache

from cinema.models import ConcessionItem
from cinema.models.concessions import MENU_PICTURES
from tests.factories import make_concession
from tests.storage.helpers import poster

BOOKING_PAGE = 18  # signed-in booking page with a live hold, its quote and the menu
MENU_API = 7


def pictured_menu(count: int) -> None:
    for n in range(count):
        make_concession(sku=f"SNACK-{n}", name=f"Snack {n}", image=poster(f"Snack{n}", filename=f"snack-{n}.png"))


def test_saving_an_item_makes_its_menu_pictures(db):
    pictured_menu(1)
    (item,) = ConcessionItem.objects.all()
    assert set(item.image.renditions.values_list("filter_spec", flat=True)) == set(MENU_PICTURES)


@pytest.mark.parametrize("items", [3, 12])
def test_the_booking_pages_menu_is_constant_in_queries(as_alice, held, django_assert_max_num_queries, items):
    pictured_menu(items)
    cache.clear()
    with django_assert_max_num_queries(BOOKING_PAGE):
        response = as_alice.get(f"/bookings/{held.reference}/")
    html = response.content.decode()
    assert html.count('class="menu__image"') == items  # every picture shown


@pytest.mark.parametrize("items", [3, 12])
def test_the_menu_api_is_constant_in_queries(client, show, django_assert_max_num_queries, items):
    pictured_menu(items)
    cache.clear()
    with django_assert_max_num_queries(MENU_API):
        menu = client.get(f"/api/shows/{show.pk}/menu").json()
    assert len(menu) == items and all(entry["image"].endswith(".png") for entry in menu)
