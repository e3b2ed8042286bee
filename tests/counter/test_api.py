"""The counter's JSON API: session auth + CSRF, 401/403, the shapes of docs/api.md, and each
refusal as {"detail": ...} with its status."""

import pytest
from django.test import Client

from tests.counter.conftest import signed_in
from tests.factories import make_user
from ticketing.models import Booking, CounterShift
from ticketing.services.holds import hold_seats

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def sale_body(show, seats=("A1", "A2"), **payment):
    payment = {"method": "cash", "tendered": "1000.00", **payment}
    return {"show": show.pk, "seats": list(seats), "payment": payment, "customer": {"phone": "+91 98200 12345"}}


def test_open_shift(as_seller):
    response = post(as_seller, "/api/counter/shifts", {"counter": "Counter 1", "float": "2000.00"})
    assert response.status_code == 201
    data = response.json()
    assert (data["counter"], data["float"], data["state"]) == ("Counter 1", "2000.00", "open")
    assert data["opened_at"].endswith("+05:30") and CounterShift.objects.filter(pk=data["id"]).exists()
    again = post(as_seller, "/api/counter/shifts", {"counter": "Counter 2", "float": "0.00"})
    assert again.status_code == 409 and "already have an open shift" in again.json()["detail"]


def test_anonymous_is_401_and_customers_403(alice, show):
    assert post(Client(), "/api/counter/shifts", {"counter": "C", "float": "1.00"}).status_code == 401
    assert Client().get("/api/counter/shifts/current").status_code == 401
    customer = signed_in(alice)
    for url, body in [
        ("/api/counter/shifts", {"counter": "C", "float": "1.00"}),
        ("/api/counter/sales", sale_body(show)),
        ("/api/counter/shifts/1/close", {"counted": "1.00"}),
    ]:
        response = post(customer, url, body)
        assert response.status_code == 403 and "permission" in response.json()["detail"]
    assert customer.get("/api/counter/shifts/current").status_code == 403
    assert not CounterShift.objects.exists()


def test_csrf_is_checked(seller):
    client = signed_in(seller, enforce_csrf_checks=True)
    assert post(client, "/api/counter/shifts", {"counter": "C", "float": "1.00"}).status_code == 403


def test_current_shift_with_running_totals(as_seller, shift, show):
    assert post(as_seller, "/api/counter/sales", sale_body(show)).status_code == 201
    data = as_seller.get("/api/counter/shifts/current").json()
    assert data["id"] == shift.pk and data["float"] == "2000.00"
    assert data["totals"] == {"cash": "542.80", "upi": "0.00", "card": "0.00"}
    assert data["expected_cash"] == "2542.80" and data["sales"] == 1


def test_no_current_shift_is_404(as_seller):
    response = as_seller.get("/api/counter/shifts/current")
    assert response.status_code == 404 and response.json()["detail"] == "You have no open shift."


def test_sale(as_seller, shift, show):
    response = post(as_seller, "/api/counter/sales", sale_body(show))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["state"], data["total"], data["change_due"]) == ("confirmed", "542.80", "457.20")
    assert sorted(t["seat"] for t in data["tickets"]) == ["A1", "A2"] and all(len(t["code"]) == 16 for t in data["tickets"])
    assert data["receipt_url"] == f"/admin/counter/sales/{data['reference']}/tickets/"


def test_sale_without_a_shift_is_409(as_seller, show):
    response = post(as_seller, "/api/counter/sales", sale_body(show))
    assert response.status_code == 409 and "no open shift" in response.json()["detail"]
    assert not Booking.objects.exists()


def test_held_seats_are_409_with_the_seats(as_seller, shift, show, alice):
    hold_seats(alice, show, ["A2"])
    response = post(as_seller, "/api/counter/sales", sale_body(show))
    assert response.status_code == 409 and response.json()["unavailable"] == ["A2"]


@pytest.mark.parametrize(
    "payment, words",
    [
        ({"tendered": "100.00"}, "less than the total"),
        ({"tendered": "600.005"}, "more than 2 decimal places"),
        ({"tendered": "-1"}, "cannot be negative"),
        ({"method": "upi", "tendered": None}, "Enter the UPI reference"),
        ({"method": "card", "tendered": None, "reference": ""}, "Enter the card approval code"),
    ],
)
def test_payment_refusals_are_400(as_seller, shift, show, payment, words):
    response = post(as_seller, "/api/counter/sales", sale_body(show, **payment))
    assert response.status_code == 400 and words in response.json()["detail"]
    assert not Booking.objects.exists()


def test_schema_refusals_are_422(as_seller, shift, show):
    body = sale_body(show, method="cheque")
    assert post(as_seller, "/api/counter/sales", body).status_code == 422
    assert post(as_seller, "/api/counter/sales", {**sale_body(show), "extra": 1}).status_code == 422


def test_close(as_seller, shift, show):
    post(as_seller, "/api/counter/sales", sale_body(show))
    response = post(as_seller, f"/api/counter/shifts/{shift.pk}/close", {"counted": "2540.00"})
    assert response.status_code == 200
    data = response.json()
    assert (data["expected_cash"], data["counted"], data["variance"]) == ("2542.80", "2540.00", "-2.80")
    assert data["totals"] == {"cash": "542.80", "upi": "0.00", "card": "0.00"} and (data["sales"], data["refunds"]) == (1, 0)
    again = post(as_seller, f"/api/counter/shifts/{shift.pk}/close", {"counted": "2540.00"})
    assert again.status_code == 409
    assert post(as_seller, "/api/counter/shifts/999999/close", {"counted": "1.00"}).status_code == 404


def test_void_is_for_supervisors(as_seller, shift, show, supervisor):
    reference = post(as_seller, "/api/counter/sales", sale_body(show)).json()["reference"]
    assert post(as_seller, f"/api/counter/sales/{reference}/void", {"reason": "x"}).status_code == 403
    response = post(signed_in(supervisor), f"/api/counter/sales/{reference}/void", {"reason": "Customer left"})
    assert response.status_code == 200 and response.json() == {"reference": reference, "state": "refunded", "refunded": "542.80"}


def test_staff_without_the_permission_cannot_sell(show):
    editor = make_user("wagtailadmin.access_admin", username="editor")
    assert post(signed_in(editor), "/api/counter/sales", sale_body(show)).status_code == 403
