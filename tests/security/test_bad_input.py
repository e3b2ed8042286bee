"""Negative, huge, malformed and wrongly typed input always gets a readable 4xx and changes
nothing: never a 500, never a half-written state."""

import json
from urllib.parse import quote

import pytest
from django.urls import reverse

from ticketing.models import Booking, ShowSeat
from wallet.models import WalletTransaction
from wallet.services import get_wallet

pytestmark = pytest.mark.django_db

HOLD_BODIES = [
    {},
    {"seats": []},
    {"seats": "A1"},
    {"seats": [1, 2]},
    {"seats": [None]},
    {"seats": [["A1"]]},
    {"seats": ["A1"] * 5000},
    {"seats": [f"Z{i}" for i in range(500)]},
    {"seats": ["A" * 10_000]},
    {"seats": ["'; DROP TABLE ticketing_showseat; --"]},
    [1, 2, 3],
    "seats",
]


@pytest.mark.parametrize("body", HOLD_BODIES, ids=range(len(HOLD_BODIES)))
def test_holding_nonsense_is_a_4xx(as_alice, show, body):
    response = as_alice.post(f"/api/shows/{show.pk}/holds", json.dumps(body), content_type="application/json")
    assert 400 <= response.status_code < 500, response.content
    assert response.json().get("detail")
    assert not Booking.objects.exists()
    assert not ShowSeat.objects.exclude(state="available").exists()


@pytest.mark.parametrize("raw", [b"{", b"\xff\xfe", b'{"seats": ["A1"]' + b" " * 10, b"null"])
def test_broken_json_is_a_4xx(as_alice, show, raw):
    response = as_alice.post(f"/api/shows/{show.pk}/holds", raw, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/shows/99999999999999999999/seats",
        "/api/shows/-1/seats",
        "/api/bookings/" + "M" * 5000,
        "/bookings/" + "%00" * 10 + "/",
    ],
)
def test_odd_identifiers_are_404_or_4xx(as_alice, path):
    assert 400 <= as_alice.get(path).status_code < 500


@pytest.mark.parametrize("body", [{"use_wallet": "maybe"}, {"use_wallet": []}, {}, {"use_wallet": True, "amount": -1}])
def test_paying_with_odd_bodies_changes_nothing(as_alice, held, body):
    response = as_alice.post(f"/api/bookings/{held.reference}/pay", json.dumps(body), content_type="application/json")
    assert response.status_code < 500
    if response.status_code >= 400:
        assert Booking.objects.get(pk=held.pk).state == "held"


@pytest.mark.parametrize("code", ["", " ", "X" * 10_000, "<script>", "TEN\x00"])
def test_odd_promo_codes_are_refused(as_alice, held, code):
    response = as_alice.post(f"/api/bookings/{held.reference}/promo", json.dumps({"code": code}), content_type="application/json")
    assert 400 <= response.status_code < 500
    assert Booking.objects.get(pk=held.pk).promo_id is None


def credit_form_post(user, customer, amount):
    from django.test import Client

    staff = Client()
    staff.force_login(user)
    wallet = get_wallet(customer)
    url = reverse("wallets:credit", args=[wallet.pk])
    token = staff.get(url).context["form"]["request_token"].value()
    return staff.post(url, {"amount": amount, "reason": "test", "kind": "credit", "request_token": token}), wallet


def test_the_credit_form_takes_a_sane_amount(admin_user, alice):
    response, wallet = credit_form_post(admin_user, alice, "100")
    assert response.status_code == 302
    assert WalletTransaction.objects.filter(wallet=wallet).count() == 1


@pytest.mark.parametrize("amount", ["-100", "0", "0.001", "1e9", "NaN", "Infinity", "abc", "99999999999999"])
def test_the_credit_form_refuses_odd_amounts(admin_user, alice, amount):
    response, wallet = credit_form_post(admin_user, alice, amount)
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors
    assert not WalletTransaction.objects.filter(wallet=wallet).exists()


@pytest.mark.parametrize("value", ["order_\x00abc", "x" * 500, "ordér_1"])
def test_odd_gateway_ids_never_reach_the_database(client, as_alice, value):
    """PostgreSQL refuses NUL in a string: such ids must be refused before any query."""
    fields = {"razorpay_order_id": value, "razorpay_payment_id": value, "razorpay_signature": value}
    assert client.post("/payments/razorpay/callback/", fields).status_code == 400
    assert as_alice.get("/payments/sandbox/" + quote(value, safe="") + "/").status_code == 404
    assert as_alice.get("/bookings/MQ" + quote(value, safe="") + "/").status_code == 404
