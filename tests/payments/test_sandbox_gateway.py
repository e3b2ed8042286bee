"""The sandbox gateway: Razorpay's behaviour in local tables, signed as Razorpay signs."""

import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from ticketing.models import SandboxOrder, SandboxPayment, SandboxRefund
from ticketing.payments import get_gateway
from ticketing.payments.base import GatewayError
from ticketing.payments.sandbox import DECLINED, KEY_ID, SandboxGateway
from ticketing.payments.signatures import payment_signature, webhook_signature

pytestmark = pytest.mark.django_db

RAZORPAY_ID = r"[A-Za-z0-9]{14}"


# --- orders and payments ------------------------------------------------------------------------
def test_create_order_stores_a_razorpay_like_order(sandbox):
    order = sandbox.create_order(51240, "MQABCDEFGH", {"booking": "MQABCDEFGH"})
    assert re.fullmatch("order_" + RAZORPAY_ID, order.order_id)
    assert (order.amount, order.currency, order.receipt) == (51240, "INR", "MQABCDEFGH")
    stored = SandboxOrder.objects.get(order_id=order.order_id)
    assert (stored.amount, stored.receipt, stored.notes, stored.status) == (
        51240,
        "MQABCDEFGH",
        {"booking": "MQABCDEFGH"},
        "created",
    )


def test_order_ids_are_random(sandbox):
    assert sandbox.create_order(100, "R1", {}).order_id != sandbox.create_order(100, "R1", {}).order_id


def test_an_order_below_one_rupee_is_refused(sandbox):
    with pytest.raises(GatewayError) as caught:
        sandbox.create_order(99, "R", {})
    assert caught.value.retryable is False


def test_checkout_info_points_at_the_sandbox_page(sandbox, order):
    info = sandbox.checkout_info(order)
    assert (info.gateway, info.key_id, info.order_id, info.amount) == ("sandbox", KEY_ID, order.order_id, 51240)
    assert info.extra == {"checkout_url": f"/payments/sandbox/{order.order_id}/"}


def test_pay_records_a_captured_payment_and_marks_the_order_paid(sandbox, order):
    payment = sandbox.pay(order.order_id)
    assert re.fullmatch("pay_" + RAZORPAY_ID, payment.payment_id)
    assert payment.captured and payment.amount == 51240 and payment.order_id == order.order_id and payment.error == ""
    assert SandboxOrder.objects.get(order_id=order.order_id).status == "paid"
    assert sandbox.fetch_payment(payment.payment_id) == payment
    assert sandbox.order_payments(order.order_id) == [payment]


def test_a_failed_payment_is_recorded_with_the_decline(sandbox, order):
    payment = sandbox.pay(order.order_id, succeed=False)
    assert payment.status == "failed" and not payment.captured
    assert payment.error == DECLINED == "Payment declined by the sandbox (Fail button)."
    assert SandboxOrder.objects.get(order_id=order.order_id).status == "attempted"


def test_a_failed_attempt_then_a_success_are_both_listed(sandbox, order):
    failed = sandbox.pay(order.order_id, succeed=False)
    paid = sandbox.pay(order.order_id, amount=51240)
    assert [p.payment_id for p in sandbox.order_payments(order.order_id)] == [failed.payment_id, paid.payment_id]


def test_a_paid_order_cannot_be_paid_again(sandbox, order):
    sandbox.pay(order.order_id)
    with pytest.raises(GatewayError):
        sandbox.pay(order.order_id)
    assert SandboxPayment.objects.count() == 1


def test_unknown_ids_are_gateway_errors(sandbox):
    for call in (lambda: sandbox.pay("order_nope"), lambda: sandbox.fetch_payment("pay_nope")):
        with pytest.raises(GatewayError) as caught:
            call()
        assert caught.value.retryable is False
    assert sandbox.order_payments("order_nope") == []


# --- signatures ----------------------------------------------------------------------------------
def test_the_callback_signature_is_razorpays_hmac_with_the_sandbox_secret(sandbox, order):
    payment = sandbox.pay(order.order_id)
    signature = sandbox.sign_payment(order.order_id, payment.payment_id)
    assert signature == payment_signature(order.order_id, payment.payment_id, sandbox.key_secret)
    assert sandbox.verify_payment_signature(order.order_id, payment.payment_id, signature)
    assert not sandbox.verify_payment_signature(order.order_id, "pay_other", signature)
    assert not sandbox.verify_payment_signature("order_other", payment.payment_id, signature)
    assert not sandbox.verify_payment_signature(order.order_id, payment.payment_id, signature[:-1] + "x")
    assert not sandbox.verify_payment_signature(order.order_id, payment.payment_id, "")
    assert not sandbox.verify_payment_signature(order.order_id, payment.payment_id, None)


def test_secrets_come_from_secret_key(sandbox):
    assert sandbox.key_secret != sandbox.webhook_secret
    assert SandboxGateway().key_secret == sandbox.key_secret
    with override_settings(SECRET_KEY="another-secret-key"):
        other = SandboxGateway()
    assert other.key_secret != sandbox.key_secret
    assert not other.verify_payment_signature("order_1", "pay_1", sandbox.sign_payment("order_1", "pay_1"))


# --- refunds -------------------------------------------------------------------------------------
def test_refund_round_trip(sandbox, order):
    payment = sandbox.pay(order.order_id)
    refund = sandbox.refund(payment.payment_id, 20000, "rfnd_key_1", {"reason": "test"})
    assert re.fullmatch("rfnd_" + RAZORPAY_ID, refund.refund_id)
    assert (refund.payment_id, refund.amount, refund.status) == (payment.payment_id, 20000, "processed")
    assert SandboxRefund.objects.get(refund_id=refund.refund_id).idempotency_key == "rfnd_key_1"
    assert sandbox.fetch_payment(payment.payment_id).status == "captured"  # partly refunded


def test_refund_is_idempotent_by_key(sandbox, order):
    payment = sandbox.pay(order.order_id)
    first = sandbox.refund(payment.payment_id, 20000, "rfnd_key_1", {})
    again = sandbox.refund(payment.payment_id, 20000, "rfnd_key_1", {})
    assert again == first
    assert SandboxRefund.objects.count() == 1


def test_refunds_never_exceed_the_payment(sandbox, order):
    payment = sandbox.pay(order.order_id)
    sandbox.refund(payment.payment_id, 30000, "k1_refund_key", {})
    with pytest.raises(GatewayError) as caught:
        sandbox.refund(payment.payment_id, 21241, "k2_refund_key", {})
    assert caught.value.retryable is False
    last = sandbox.refund(payment.payment_id, 21240, "k3_refund_key", {})
    assert last.amount == 21240
    assert sandbox.fetch_payment(payment.payment_id).status == "refunded"
    with pytest.raises(GatewayError):
        sandbox.refund(payment.payment_id, 1, "k4_refund_key", {})
    assert sum(SandboxRefund.objects.values_list("amount", flat=True)) == 51240


def test_a_used_key_with_a_different_amount_is_refused(sandbox, order):
    payment = sandbox.pay(order.order_id)
    sandbox.refund(payment.payment_id, 20000, "rfnd_key_1", {})
    with pytest.raises(GatewayError, match="same idempotency key"):
        sandbox.refund(payment.payment_id, 20001, "rfnd_key_1", {})
    assert SandboxRefund.objects.count() == 1


@pytest.mark.parametrize("key", ["", None, "short", "has space in it", "x" * 65])
def test_refund_keys_follow_razorpays_rule(sandbox, order, key):
    payment = sandbox.pay(order.order_id)
    with pytest.raises(GatewayError):
        sandbox.refund(payment.payment_id, 100, key, {})


def test_the_refund_models_keys_are_acceptable(sandbox, order):
    from ticketing.models.payments import new_refund_key

    payment = sandbox.pay(order.order_id)
    assert sandbox.refund(payment.payment_id, 100, new_refund_key(), {}).amount == 100


def test_a_failed_payment_cannot_be_refunded(sandbox, order):
    payment = sandbox.pay(order.order_id, succeed=False)
    with pytest.raises(GatewayError):
        sandbox.refund(payment.payment_id, 100, "k1_refund_key", {})


def test_a_key_reused_for_another_payment_is_refused(sandbox, booking):
    one = sandbox.pay(sandbox.create_order(10000, booking.reference, {}).order_id)
    two = sandbox.pay(sandbox.create_order(10000, booking.reference, {}).order_id)
    sandbox.refund(one.payment_id, 100, "shared_refund_key", {})
    with pytest.raises(GatewayError):
        sandbox.refund(two.payment_id, 100, "shared_refund_key", {})


# --- webhooks ------------------------------------------------------------------------------------
def test_payment_captured_webhook_is_razorpay_shaped_and_signed(sandbox, order):
    payment = sandbox.pay(order.order_id)
    body, headers = sandbox.webhook_payload("payment.captured", payment)
    assert sandbox.verify_webhook_signature(body, headers["X-Razorpay-Signature"])
    assert headers["X-Razorpay-Signature"] == webhook_signature(body, sandbox.webhook_secret)
    assert headers["X-Razorpay-Event-Id"]
    event = json.loads(body)
    assert event["entity"] == "event" and event["event"] == "payment.captured"
    assert event["contains"] == ["payment"]
    assert isinstance(event["created_at"], int)
    entity = event["payload"]["payment"]["entity"]
    assert {k: entity[k] for k in ("id", "order_id", "amount", "currency", "status", "method", "error_description")} == {
        "id": payment.payment_id,
        "order_id": order.order_id,
        "amount": 51240,
        "currency": "INR",
        "status": "captured",
        "method": "card",
        "error_description": None,
    }
    assert entity["captured"] is True
    assert "order" not in event["payload"]


def test_payment_failed_webhook_carries_the_error(sandbox, order):
    payment = sandbox.pay(order.order_id, succeed=False)
    body, headers = sandbox.webhook_payload("payment.failed", payment)
    assert sandbox.verify_webhook_signature(body, headers["X-Razorpay-Signature"])
    entity = json.loads(body)["payload"]["payment"]["entity"]
    assert entity["status"] == "failed" and entity["captured"] is False
    assert entity["error_description"] == DECLINED
    assert (entity["error_code"], entity["error_source"], entity["error_step"], entity["error_reason"]) == (
        "BAD_REQUEST_ERROR",
        "customer",
        "payment_authorization",
        "payment_failed",
    )


def test_order_paid_webhook_has_the_order_too(sandbox, order):
    payment = sandbox.pay(order.order_id)
    body, headers = sandbox.webhook_payload("order.paid", payment.payment_id)
    event = json.loads(body)
    assert event["contains"] == ["payment", "order"]
    order_entity = event["payload"]["order"]["entity"]
    assert (order_entity["id"], order_entity["status"], order_entity["amount_paid"], order_entity["amount_due"]) == (
        order.order_id,
        "paid",
        51240,
        0,
    )
    assert order_entity["receipt"] == order.receipt
    assert sandbox.verify_webhook_signature(body, headers["X-Razorpay-Signature"])


def test_webhook_tampering_and_redelivery(sandbox, order):
    payment = sandbox.pay(order.order_id)
    body, headers = sandbox.webhook_payload("payment.captured", payment)
    signature = headers["X-Razorpay-Signature"]
    assert not sandbox.verify_webhook_signature(json.dumps(json.loads(body)).encode(), signature)
    assert not sandbox.verify_webhook_signature(body.replace(b"51240", b"1"), signature)
    assert not sandbox.verify_webhook_signature(body, None)
    assert not sandbox.verify_webhook_signature(body, webhook_signature(body, sandbox.key_secret))
    # each event has its own id; a redelivery keeps it
    _, other = sandbox.webhook_payload("payment.captured", payment)
    assert other["X-Razorpay-Event-Id"] != headers["X-Razorpay-Event-Id"]
    _, again = sandbox.webhook_payload("payment.captured", payment, event_id=headers["X-Razorpay-Event-Id"])
    assert again["X-Razorpay-Event-Id"] == headers["X-Razorpay-Event-Id"]


def test_unknown_webhook_events_are_refused(sandbox, order):
    payment = sandbox.pay(order.order_id)
    with pytest.raises(ValueError):
        sandbox.webhook_payload("refund.created", payment)


def test_deliver_webhook_posts_the_signed_body_to_the_webhook_view_in_process(sandbox, order, monkeypatch):
    """The real webhook view is someone else's: stand one in and look at what it receives."""
    from django.http import HttpResponse

    from ticketing.payments import sandbox as sandbox_module

    received = []

    def fake_view(request):
        received.append(request)
        return HttpResponse(status=200)

    class Match:
        func = staticmethod(fake_view)
        args = ()
        kwargs = {}

    monkeypatch.setattr(sandbox_module, "reverse", lambda name, **kw: "/payments/razorpay/webhook/")
    monkeypatch.setattr(sandbox_module, "resolve", lambda path: Match)
    payment = sandbox.pay(order.order_id)
    assert sandbox.deliver_webhook("payment.captured", payment) == 200
    (request,) = received
    assert request.method == "POST" and request.path == "/payments/razorpay/webhook/"
    assert request.content_type == "application/json"
    assert sandbox.verify_webhook_signature(request.body, request.headers["X-Razorpay-Signature"])
    assert request.META["HTTP_X_RAZORPAY_EVENT_ID"]
    assert json.loads(request.body)["payload"]["payment"]["entity"]["id"] == payment.payment_id


# --- production and choosing -------------------------------------------------------------------------
@override_settings(MARQUEE_PRODUCTION=True, RAZORPAY_KEY_ID="", RAZORPAY_KEY_SECRET="")
def test_production_settings_refuse_the_sandbox():
    with pytest.raises(ImproperlyConfigured, match="RAZORPAY_KEY_ID"):
        get_gateway()
    with pytest.raises(ImproperlyConfigured):
        SandboxGateway()


@override_settings(RAZORPAY_KEY_ID="rzp_test_x", RAZORPAY_KEY_SECRET="")
def test_one_key_alone_is_not_enough_for_razorpay():
    assert isinstance(get_gateway(), SandboxGateway)


@override_settings(RAZORPAY_KEY_ID="", RAZORPAY_KEY_SECRET="")
def test_no_keys_means_the_sandbox():
    gateway = get_gateway()
    assert isinstance(gateway, SandboxGateway)
    assert (gateway.name, gateway.key_id) == ("sandbox", "rzp_test_sandbox")


def test_production_settings_module_sets_the_flag(monkeypatch):
    import importlib
    import sys

    from tests.hardening.test_production import DOCUMENTED_ENV

    for name, value in DOCUMENTED_ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "MARQUEE_GATEWAY_TIMEOUT", "MARQUEE_GATEWAY_RETRIES", "SENTRY_DSN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delitem(sys.modules, "config.settings.production", raising=False)
    production = importlib.import_module("config.settings.production")
    monkeypatch.delitem(sys.modules, "config.settings.production")
    assert production.MARQUEE_PRODUCTION is True
    assert importlib.import_module("config.settings.base").MARQUEE_PRODUCTION is False
    assert (production.MARQUEE_GATEWAY_TIMEOUT, production.MARQUEE_GATEWAY_RETRIES) == (10, 3)
