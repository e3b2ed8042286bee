"""The food API: GET /api/shows/{id}/menu (public), PUT /api/bookings/{reference}/items (the
owner, while held), and the booking's items and pickup code in GET /api/bookings/{reference}."""

from decimal import Decimal

import pytest

from cinema.models import TheaterConcession
from core.versions import show_versions
from tests.factories import set_stock
from tests.fixtures.checkout import fund, pay, signed_in
from ticketing.services.booking_items import set_items


def put_items(client, booking, items):
    return client.put(f"/api/bookings/{booking.reference}/items", {"items": items}, content_type="application/json")


def test_the_menu_is_public(client, show, popcorn, cola, theater):
    set_stock(theater, cola, 0)
    response = client.get(f"/api/shows/{show.pk}/menu")
    assert response.status_code == 200
    menu = {entry["sku"]: entry for entry in response.json()}
    assert menu["POP-L"] == {
        "sku": "POP-L",
        "name": "Large salted popcorn",
        "description": "",
        "price": "300.00",
        "gst_rate": "5.00",
        "veg": True,
        "category": "popcorn",
        "available": True,
        "image": None,
    }
    assert menu["COLA"]["available"] is False


def test_a_theater_can_take_an_item_off_or_price_it_differently(client, show, popcorn, cola, theater):
    TheaterConcession.objects.create(item=cola, theater=theater, available=False)
    TheaterConcession.objects.create(item=popcorn, theater=theater, price=Decimal("280.00"))
    menu = {entry["sku"]: entry for entry in client.get(f"/api/shows/{show.pk}/menu").json()}
    assert set(menu) == {"POP-L"}
    assert menu["POP-L"]["price"] == "280.00"


def test_a_bundle_is_on_the_menu_at_the_ticket_rate(client, show, bundle):
    (entry,) = client.get(f"/api/shows/{show.pk}/menu").json()
    assert entry["gst_rate"] == "18.00"


def test_the_menu_of_no_show_is_404(client, db):
    assert client.get("/api/shows/999999/menu").status_code == 404


def test_putting_items_answers_the_booking_with_its_new_quote(as_alice, held, popcorn):
    response = put_items(as_alice, held, [{"sku": "pop-l", "quantity": 2}])
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["items"] == [{"sku": "POP-L", "name": "Large salted popcorn", "quantity": 2, "amount": "600.00"}]
    assert body["pickup_code"] is None
    assert body["quote"]["total"] == "1172.80"
    assert body["quote"]["food"] == "600.00"
    again = as_alice.get(f"/api/bookings/{held.reference}").json()
    assert again["items"] == body["items"]


def test_putting_items_replaces_them_and_an_empty_list_removes_them(as_alice, held, popcorn, cola):
    put_items(as_alice, held, [{"sku": "POP-L", "quantity": 2}])
    body = put_items(as_alice, held, [{"sku": "COLA", "quantity": 1}]).json()
    assert [i["sku"] for i in body["items"]] == ["COLA"]
    body = put_items(as_alice, held, []).json()
    assert body["items"] == [] and body["quote"]["total"] == "542.80"


def test_someone_elses_booking_is_404(bob, held, popcorn):
    assert put_items(signed_in(bob), held, [{"sku": "POP-L", "quantity": 1}]).status_code == 404


def test_signed_out_is_401(client, held, popcorn):
    assert put_items(client, held, [{"sku": "POP-L", "quantity": 1}]).status_code == 401


def test_an_unknown_sku_is_400_and_names_it(as_alice, held, popcorn):
    response = put_items(as_alice, held, [{"sku": "POP-XXL", "quantity": 1}])
    assert response.status_code == 400
    assert "POP-XXL" in response.json()["detail"] and response.json()["unknown"] == ["POP-XXL"]


@pytest.mark.parametrize("quantity", [0, -1, 21, "two"])
def test_a_bad_quantity_is_422(as_alice, held, popcorn, quantity):
    assert put_items(as_alice, held, [{"sku": "POP-L", "quantity": quantity}]).status_code == 422


def test_a_repeated_sku_is_400(as_alice, held, popcorn):
    response = put_items(as_alice, held, [{"sku": "POP-L", "quantity": 1}, {"sku": "pop-l", "quantity": 2}])
    assert response.status_code == 400


def test_not_enough_stock_is_409_naming_the_item(as_alice, held, popcorn, theater):
    set_stock(theater, popcorn, 1)
    response = put_items(as_alice, held, [{"sku": "POP-L", "quantity": 2}])
    assert response.status_code == 409
    assert "Large salted popcorn" in response.json()["detail"] and response.json()["sold_out"] == ["POP-L"]
    held.refresh_from_db()
    assert not held.has_items


def test_items_change_only_while_held(as_alice, alice, held, popcorn):
    fund(alice, "5000")
    assert pay(as_alice, held, use_wallet=True).status_code == 200
    response = put_items(as_alice, held, [{"sku": "POP-L", "quantity": 1}])
    assert response.status_code == 400


def test_a_confirmed_booking_shows_its_pickup_code(as_alice, alice, held, popcorn):
    fund(alice, "5000")
    set_items(held, [("POP-L", 2)])
    body = pay(as_alice, held, use_wallet=True).json()
    assert body["state"] == "confirmed"
    assert body["pickup_code"].startswith("FD") and len(body["pickup_code"]) == 10
    assert body["quote"]["items"][0]["sku"] == "POP-L"  # the frozen quote carries the lines


def test_the_booking_shows_its_items_and_once_confirmed_its_pickup_code(as_alice, alice, held, popcorn, cola):
    set_items(held, [("POP-L", 2), ("COLA", 1)])
    body = as_alice.get(f"/api/bookings/{held.reference}").json()
    assert body["items"] == [
        {"sku": "POP-L", "name": "Large salted popcorn", "quantity": 2, "amount": "600.00"},
        {"sku": "COLA", "name": "Cola 500 ml", "quantity": 1, "amount": "120.00"},
    ]
    assert body["pickup_code"] is None
    fund(alice, "5000")
    pay(as_alice, held, use_wallet=True)
    body = as_alice.get(f"/api/bookings/{held.reference}").json()
    assert body["state"] == "confirmed" and body["pickup_code"] == held.pickup.code
    assert len(body["items"]) == 2


def test_changing_items_bumps_the_seat_version(as_alice, held, popcorn, django_capture_on_commit_callbacks):
    before = show_versions(held.show_id)
    with django_capture_on_commit_callbacks(execute=True):
        put_items(as_alice, held, [{"sku": "POP-L", "quantity": 1}])
    assert show_versions(held.show_id)[1] != before[1]
