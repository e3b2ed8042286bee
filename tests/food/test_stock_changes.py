"""Staff changes to food stock are adjustments (ticketing/services/stock_adjust.py): received
adds, wasted takes off (never below zero), a counted total is applied as the change from the
count the form was loaded with and refused when a checkout moved it meanwhile; each lands in
the audit log. The admin's edit form records what happened, never an absolute count."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.factories import make_user, set_stock
from tests.fixtures.checkout import fund
from ticketing.errors import StockChangeRefused
from ticketing.models import ConcessionStock
from ticketing.services.booking_items import set_items
from ticketing.services.checkout import start_checkout
from ticketing.services.stock_adjust import ADJUST_ACTION, adjust_stock


@pytest.fixture
def stock(theater, popcorn):
    return set_stock(theater, popcorn, 10)


@pytest.fixture
def keeper(db):
    return make_user(
        "wagtailadmin.access_admin", "ticketing.change_concessionstock", "ticketing.view_concessionstock", username="keeper"
    )


def count(stock) -> int:
    return ConcessionStock.objects.get(pk=stock.pk).quantity


def sell_two(alice, held):
    """A checkout takes two popcorns from the stand's count."""
    fund(alice, "5000")
    start_checkout(set_items(held, [("POP-L", 2)]), use_wallet=True)


def test_received_adds_and_wasted_takes_off(stock, keeper):
    assert adjust_stock(stock.pk, "received", 50, by=keeper, note="Tuesday delivery").after == 60
    assert adjust_stock(stock.pk, "wasted", 3, by=keeper).after == 57
    assert count(stock) == 57


def test_wasting_more_than_is_left_is_refused_and_changes_nothing(stock, keeper):
    with pytest.raises(StockChangeRefused, match="Only 10 left"):
        adjust_stock(stock.pk, "wasted", 11, by=keeper)
    assert count(stock) == 10
    assert not ModelLogEntry.objects.filter(action=ADJUST_ACTION).exists()


@pytest.mark.parametrize(("kind", "amount"), [("received", 0), ("wasted", 0), ("received", -5), ("counted", -1), ("stolen", 3)])
def test_nonsense_is_refused(stock, keeper, kind, amount):
    with pytest.raises(StockChangeRefused):
        adjust_stock(stock.pk, kind, amount, loaded=10, by=keeper)
    assert count(stock) == 10


def test_a_counted_total_applies_as_the_change_from_the_loaded_count(stock, keeper):
    assert adjust_stock(stock.pk, "counted", 7, loaded=10, by=keeper).after == 7
    assert adjust_stock(stock.pk, "counted", 0, loaded=7, by=keeper).after == 0


def test_a_counted_total_is_refused_when_a_checkout_moved_the_count(alice, held, stock, keeper):
    loaded = count(stock)  # the form opens showing 10
    sell_two(alice, held)  # a customer pays meanwhile: 8 left
    with pytest.raises(StockChangeRefused, match="changed from 10 to 8"):
        adjust_stock(stock.pk, "counted", 30, loaded=loaded, by=keeper)
    assert count(stock) == 8


def test_a_delivery_recorded_after_a_checkout_keeps_the_checkouts_decrement(alice, held, stock, keeper):
    sell_two(alice, held)
    adjust_stock(stock.pk, "received", 50, by=keeper)
    assert count(stock) == 58  # not 60: the sale is not overwritten


def test_each_change_is_in_the_audit_log_in_words(stock, keeper):
    adjust_stock(stock.pk, "received", 50, by=keeper, note="Tuesday delivery")
    adjust_stock(stock.pk, "counted", 55, loaded=60, by=keeper)
    entries = list(ModelLogEntry.objects.filter(action=ADJUST_ACTION).order_by("pk"))
    assert [e.data["before"] for e in entries] == [10, 60] and [e.data["after"] for e in entries] == [60, 55]
    assert all(e.user_id == keeper.pk for e in entries)
    assert entries[0].message == "Received 50 (10 → 60): Tuesday delivery"
    assert entries[1].message == "Counted 55 on the shelf (was 60)"


def edit_url(stock) -> str:
    return reverse("wagtailsnippets_ticketing_concessionstock:edit", args=[stock.pk])


def test_the_edit_form_records_what_happened_not_a_count(client, stock, keeper):
    client.force_login(keeper)
    html = client.get(edit_url(stock)).content.decode()
    assert 'name="loaded"' in html and 'value="10"' in html and 'name="quantity"' not in html
    response = client.post(edit_url(stock), {"change": "received", "amount": "50", "note": "Delivery 4411", "loaded": "10"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert count(stock) == 60
    response = client.post(edit_url(stock), {"change": "received", "amount": "5", "note": "", "loaded": "10", "quantity": "999"})
    assert response.status_code == 302
    assert count(stock) == 65  # a posted quantity is ignored: only the change applies
    history = client.get(reverse("wagtailsnippets_ticketing_concessionstock:history", args=[stock.pk])).content.decode()
    assert "Received 50 (10 → 60): Delivery 4411" in history


def test_the_edit_form_refuses_a_count_that_moved_with_a_message(client, alice, held, stock, keeper):
    client.force_login(keeper)
    sell_two(alice, held)  # after the form was loaded at 10
    response = client.post(edit_url(stock), {"change": "counted", "amount": "30", "note": "", "loaded": "10"})
    assert response.status_code == 200
    assert "changed from 10 to 8" in response.content.decode()
    assert count(stock) == 8


def test_the_edit_form_refuses_wasting_more_than_is_left(client, stock, keeper):
    client.force_login(keeper)
    response = client.post(edit_url(stock), {"change": "wasted", "amount": "11", "note": "", "loaded": "10"})
    assert response.status_code == 200 and "Only 10 left" in response.content.decode()
    assert count(stock) == 10


def test_a_new_stock_row_takes_its_first_count(client, theater, popcorn):
    admin = make_user(
        "wagtailadmin.access_admin", "ticketing.add_concessionstock", "ticketing.view_concessionstock", username="adder"
    )
    client.force_login(admin)
    url = reverse("wagtailsnippets_ticketing_concessionstock:add")
    response = client.post(url, {"theater": theater.pk, "item": popcorn.pk, "quantity": "40"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ConcessionStock.objects.get(theater=theater, item=popcorn).quantity == 40
    again = client.post(url, {"theater": theater.pk, "item": popcorn.pk, "quantity": "5"})
    assert again.status_code == 200 and ConcessionStock.objects.get(theater=theater, item=popcorn).quantity == 40
