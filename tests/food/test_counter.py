"""Food and drinks at the counter: in POST /api/counter/sales with or without seats, priced by
quote(), taken from stock, in the shift's totals; a void gives the stock back."""

from decimal import Decimal

import pytest

from tests.factories import set_stock
from tests.fixtures.checkout import signed_in
from ticketing.models import ConcessionStock, FoodPickup
from ticketing.services import counter_sales, counter_shifts


def sale(client, body):
    return client.post("/api/counter/sales", body, content_type="application/json")


def test_items_with_seats(seller, shift, show, popcorn):
    response = sale(
        signed_in(seller),
        {
            "show": show.pk,
            "seats": ["A1", "A2"],
            "items": [{"sku": "POP-L", "quantity": 2}],
            "payment": {"method": "cash", "tendered": "1200.00"},
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total"] == "1172.80"
    assert body["change_due"] == "27.20"
    assert body["items"] == [{"sku": "POP-L", "name": "Large salted popcorn", "quantity": 2, "amount": "600.00"}]
    assert body["pickup_code"].startswith("FD")
    assert len(body["tickets"]) == 2


def test_items_without_seats(seller, shift, show, cola, theater):
    set_stock(theater, cola, 3)
    response = sale(
        signed_in(seller),
        {"show": show.pk, "items": [{"sku": "COLA", "quantity": 2}], "payment": {"method": "upi", "reference": "UPI12345"}},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total"] == "252.00"  # 240 + 5 % GST, no convenience fee without tickets
    assert body["tickets"] == []
    assert ConcessionStock.objects.get(item=cola).quantity == 1
    totals = counter_shifts.shift_totals(shift)
    assert totals.as_api()["totals"]["upi"] == "252.00"


def test_nothing_to_sell_is_400(seller, shift, show):
    response = sale(signed_in(seller), {"show": show.pk, "payment": {"method": "cash", "tendered": "10.00"}})
    assert response.status_code == 400


def test_sold_out_is_409_naming_the_item(seller, shift, show, cola, theater):
    set_stock(theater, cola, 1)
    response = sale(
        signed_in(seller),
        {"show": show.pk, "items": [{"sku": "COLA", "quantity": 2}], "payment": {"method": "cash", "tendered": "500.00"}},
    )
    assert response.status_code == 409
    assert response.json()["sold_out"] == ["COLA"]
    assert ConcessionStock.objects.get(item=cola).quantity == 1


def test_a_void_gives_the_stock_back(seller, supervisor, shift, show, cola, theater):
    set_stock(theater, cola, 3)
    result = counter_sales.sell_at_counter(seller, show.pk, [], method="cash", tendered="500.00", items=[("COLA", 2)])
    assert FoodPickup.objects.filter(booking=result.booking).exists()
    counter_sales.void_sale(supervisor, result.booking.reference, "Wrong order")
    assert ConcessionStock.objects.get(item=cola).quantity == 3


@pytest.mark.parametrize("items", [[{"sku": "COLA", "quantity": 0}], [{"sku": "", "quantity": 1}], [{"sku": "COLA"}]])
def test_bad_items_are_422(seller, shift, show, cola, items):
    body = {"show": show.pk, "items": items, "payment": {"method": "cash", "tendered": "500.00"}}
    assert sale(signed_in(seller), body).status_code == 422


def test_the_sale_total_is_decimal(seller, shift, show, cola):
    result = counter_sales.sell_at_counter(seller, show.pk, [], method="cash", tendered="500.00", items=[("COLA", 1)])
    assert result.booking.total == Decimal("126.00")


def test_the_counter_page_sells_food_typed_as_sku_and_quantity(seller, shift, show, popcorn, cola):
    client = signed_in(seller)
    sell_url = f"/admin/counter/shows/{show.pk}/"
    priced = client.post(sell_url, {"action": "price", "seats": "", "items": "POP-L 2, cola", "method": "cash"})
    assert "₹756.00" in priced.content.decode()  # 600 + 120 + 5 % GST, no seats
    sold = client.post(sell_url, {"action": "sell", "seats": "", "items": "POP-L 2, cola", "method": "cash", "tendered": "800"})
    assert sold.status_code == 302
    done = client.get(sold["Location"]).content.decode()
    assert "2 × Large salted popcorn" in done and "pickup code" in done
    receipt = client.get(sold["Location"] + "tickets/").content.decode()
    assert "data-pickup=" in receipt


def test_the_counter_page_refuses_badly_typed_items(seller, shift, show, popcorn):
    client = signed_in(seller)
    response = client.post(
        f"/admin/counter/shows/{show.pk}/",
        {"action": "sell", "seats": "", "items": "POP-L two", "method": "cash", "tendered": "800"},
    )
    assert response.status_code == 400
    assert "SKU and a quantity" in response.content.decode()
