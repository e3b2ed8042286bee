"""CSRF on every state-changing browser endpoint: a signed-in customer's browser, tricked into
posting without the token, changes nothing. The two endpoints Razorpay calls cross-site are
exempt from CSRF and are guarded by their signatures instead."""

import pytest

from tests.security.conftest import csrf_client
from ticketing.models import Booking, BookingState, PaymentEvent
from wallet.models import WalletTransaction

pytestmark = pytest.mark.django_db


def test_customer_api_refuses_without_the_token(alice, held, show):
    client = csrf_client(alice)
    ledger = WalletTransaction.objects.count()
    for method, path, body in (
        ("post", f"/api/shows/{show.pk}/holds", {"seats": ["D1"]}),
        ("post", f"/api/bookings/{held.reference}/pay", {"use_wallet": True}),
        ("post", f"/api/bookings/{held.reference}/promo", {"code": "X"}),
        ("delete", f"/api/bookings/{held.reference}/promo", None),
        ("delete", f"/api/bookings/{held.reference}/hold", None),
        ("post", f"/api/bookings/{held.reference}/cancel", None),
        ("put", f"/api/bookings/{held.reference}/items", {"items": []}),
    ):
        response = getattr(client, method)(path, body, content_type="application/json")
        assert response.status_code == 403, (method, path, response.status_code)
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.HELD and booking.seats == ["A1", "A2"]
    assert WalletTransaction.objects.count() == ledger


def test_account_forms_refuse_without_the_token(alice):
    client = csrf_client(alice)
    for path in ("/accounts/logout/", "/accounts/password/change/", "/accounts/email/"):
        assert client.post(path, {"email": "x@example.com"}).status_code == 403, path
    anonymous = csrf_client(alice)
    anonymous.logout()
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        assert anonymous.post(path, {"login": "alice@example.com", "password": "x"}).status_code == 403, path


def test_staff_forms_refuse_without_the_token(admin_user, alice, confirmed):
    from django.urls import reverse

    from wallet.services import get_wallet

    client = csrf_client(admin_user)
    wallet = get_wallet(alice)
    ledger = WalletTransaction.objects.count()
    for url in (
        reverse("wallets:credit", args=[wallet.pk]),
        reverse("bookings:cancel", args=[confirmed.pk]),
        reverse("bookings:cancel_show", args=[confirmed.show_id]),
        reverse("bookings:resend_tickets", args=[confirmed.pk]),
    ):
        response = client.post(url, {"amount": "100", "reason": "x", "destination": "wallet", "kind": "credit"})
        assert response.status_code == 403, url
    assert WalletTransaction.objects.count() == ledger
    assert Booking.objects.get(pk=confirmed.pk).state == BookingState.CONFIRMED


def test_the_gateway_endpoints_need_a_valid_signature_instead(client, as_alice, held):
    from tests.fixtures.checkout import pay

    order_id = pay(as_alice, held).json()["order_id"]
    forged = {"razorpay_order_id": order_id, "razorpay_payment_id": "pay_forged000001", "razorpay_signature": "0" * 64}
    assert client.post("/payments/razorpay/callback/", forged).status_code == 400
    body = b'{"event": "payment.captured", "payload": {}}'
    for headers in ({}, {"HTTP_X_RAZORPAY_SIGNATURE": "f" * 64, "HTTP_X_RAZORPAY_EVENT_ID": "evt_1"}):
        assert client.post("/payments/razorpay/webhook/", body, content_type="application/json", **headers).status_code == 400
    assert Booking.objects.get(pk=held.pk).state == BookingState.PAYMENT_PENDING
    assert not PaymentEvent.objects.exists()
