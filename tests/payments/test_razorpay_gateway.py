"""RazorpayGateway on the official SDK, with razorpay.com replaced by `responses`: request
shapes, the timeout on every call, bounded retries with backoff, and errors a customer reads."""

import json

import pytest
import requests
import responses
from django.test import override_settings

from ticketing.payments import get_gateway
from ticketing.payments.base import GatewayError
from ticketing.payments.razorpay_gateway import NOT_ANSWERING, RazorpayGateway
from ticketing.payments.signatures import payment_signature, webhook_signature

API = "https://api.razorpay.com/v1"
KEY_ID = "rzp_test_abc123"
KEY_SECRET = "key-secret-never-logged"
WEBHOOK_SECRET = "webhook-secret"

ORDER = {
    "id": "order_IluGWxBm9U8zJ8",
    "entity": "order",
    "amount": 50000,
    "amount_paid": 0,
    "amount_due": 50000,
    "currency": "INR",
    "receipt": "MQABCDEFGH",
    "status": "created",
    "attempts": 0,
    "notes": {"booking": "MQABCDEFGH"},
    "created_at": 1795000000,
}
PAYMENT = {
    "id": "pay_IluGWxBm9U8zJ9",
    "entity": "payment",
    "amount": 50000,
    "currency": "INR",
    "status": "captured",
    "order_id": ORDER["id"],
    "method": "upi",
    "captured": True,
    "error_description": None,
}
FAILED = {
    **PAYMENT,
    "id": "pay_IluGWxBm9U8zK0",
    "status": "failed",
    "captured": False,
    "method": "card",
    "error_description": "Payment was declined by the bank.",
}
REFUND = {
    "id": "rfnd_FP8QHiV938haTz",
    "entity": "refund",
    "amount": 20000,
    "payment_id": PAYMENT["id"],
    "currency": "INR",
    "status": "processed",
}
BAD_REQUEST = {"error": {"code": "BAD_REQUEST_ERROR", "description": "The id provided does not exist", "source": "business"}}
SERVER_ERROR = {
    "error": {"code": "SERVER_ERROR", "description": "We are facing some trouble completing your request at the moment."}
}


class Sleeper:
    def __init__(self):
        self.delays = []

    def __call__(self, seconds):
        self.delays.append(seconds)


@pytest.fixture
def sleeper():
    return Sleeper()


@pytest.fixture
def gateway(sleeper):
    return RazorpayGateway(KEY_ID, KEY_SECRET, WEBHOOK_SECRET, timeout=7, retries=3, sleep=sleeper)


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


# --- request shapes ------------------------------------------------------------------------------
def test_create_order_sends_paise_receipt_currency_and_notes(api, gateway):
    api.post(f"{API}/orders", json=ORDER)
    order = gateway.create_order(50000, "MQABCDEFGH", {"booking": "MQABCDEFGH"})
    assert (order.order_id, order.amount, order.currency, order.receipt) == (ORDER["id"], 50000, "INR", "MQABCDEFGH")
    sent = api.calls[0].request
    assert json.loads(sent.body) == {
        "amount": 50000,
        "currency": "INR",
        "receipt": "MQABCDEFGH",
        "notes": {"booking": "MQABCDEFGH"},
    }
    assert sent.headers["Authorization"].startswith("Basic ")


def test_checkout_info_is_what_checkout_js_needs(gateway):
    order = type("O", (), {"order_id": ORDER["id"], "amount": 50000, "currency": "INR"})()
    info = gateway.checkout_info(order)
    assert (info.gateway, info.key_id, info.order_id, info.amount, info.currency) == (
        "razorpay",
        KEY_ID,
        ORDER["id"],
        50000,
        "INR",
    )
    assert info.extra == {}


def test_fetch_payment(api, gateway):
    api.get(f"{API}/payments/{PAYMENT['id']}", json=PAYMENT)
    payment = gateway.fetch_payment(PAYMENT["id"])
    assert payment.captured
    assert (payment.payment_id, payment.order_id, payment.amount, payment.method, payment.error) == (
        PAYMENT["id"],
        ORDER["id"],
        50000,
        "upi",
        "",
    )


def test_order_payments_lists_every_attempt(api, gateway):
    api.get(f"{API}/orders/{ORDER['id']}/payments", json={"entity": "collection", "count": 2, "items": [FAILED, PAYMENT]})
    payments = gateway.order_payments(ORDER["id"])
    assert [(p.payment_id, p.status) for p in payments] == [(FAILED["id"], "failed"), (PAYMENT["id"], "captured")]
    assert payments[0].error == "Payment was declined by the bank."


def test_refund_sends_amount_notes_and_the_idempotency_header(api, gateway):
    api.post(f"{API}/payments/{PAYMENT['id']}/refund", json=REFUND)
    refund = gateway.refund(PAYMENT["id"], 20000, "rfnd_key_0001", {"reason": "show cancelled"})
    assert (refund.refund_id, refund.payment_id, refund.amount, refund.status) == (
        REFUND["id"],
        PAYMENT["id"],
        20000,
        "processed",
    )
    sent = api.calls[0].request
    assert sent.headers["X-Refund-Idempotency"] == "rfnd_key_0001"
    assert json.loads(sent.body) == {"amount": 20000, "notes": {"reason": "show cancelled"}}


def test_a_retried_refund_repeats_the_same_idempotency_key(api, gateway, sleeper):
    url = f"{API}/payments/{PAYMENT['id']}/refund"
    api.post(url, body=requests.exceptions.ReadTimeout("slow"))
    api.post(url, json=REFUND)
    gateway.refund(PAYMENT["id"], 20000, "rfnd_key_0002", {})
    assert [call.request.headers["X-Refund-Idempotency"] for call in api.calls] == ["rfnd_key_0002"] * 2


# --- timeouts and retries ----------------------------------------------------------------------------
def test_every_call_carries_the_timeout(api, gateway):
    api.post(f"{API}/orders", json=ORDER)
    api.get(f"{API}/payments/{PAYMENT['id']}", json=PAYMENT)
    api.get(f"{API}/orders/{ORDER['id']}/payments", json={"items": []})
    api.post(f"{API}/payments/{PAYMENT['id']}/refund", json=REFUND)
    gateway.create_order(50000, "MQABCDEFGH", {})
    gateway.fetch_payment(PAYMENT["id"])
    gateway.order_payments(ORDER["id"])
    gateway.refund(PAYMENT["id"], 20000, "rfnd_key_0005", {})
    assert [call.request.req_kwargs["timeout"] for call in api.calls] == [7.0] * 4


@override_settings(MARQUEE_GATEWAY_TIMEOUT=4, MARQUEE_GATEWAY_RETRIES=0)
def test_the_timeout_comes_from_settings_and_applies_even_to_raw_sdk_calls(api):
    gateway = RazorpayGateway(KEY_ID, KEY_SECRET, WEBHOOK_SECRET)
    api.get(f"{API}/orders/{ORDER['id']}", json=ORDER)
    gateway.client.order.fetch(ORDER["id"])  # not through the gateway's own methods
    assert api.calls[0].request.req_kwargs["timeout"] == 4.0
    assert gateway.retries == 0


@pytest.mark.parametrize(
    "timeout", [requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError]
)
def test_a_timeout_or_lost_connection_is_retried_then_succeeds(api, gateway, sleeper, timeout):
    url = f"{API}/payments/{PAYMENT['id']}"
    api.get(url, body=timeout("no answer"))
    api.get(url, body=timeout("no answer"))
    api.get(url, json=PAYMENT)
    assert gateway.fetch_payment(PAYMENT["id"]).captured
    assert len(api.calls) == 3
    assert sleeper.delays == [0.2, 0.4]


def test_5xx_is_retried_up_to_the_limit_then_a_retryable_error(api, gateway, sleeper):
    api.post(f"{API}/orders", json=SERVER_ERROR, status=500)
    with pytest.raises(GatewayError) as caught:
        gateway.create_order(50000, "MQABCDEFGH", {})
    assert caught.value.retryable is True
    assert caught.value.message == NOT_ANSWERING
    assert "Your seats are still held" in str(caught.value)
    assert len(api.calls) == 4  # the first try and 3 retries
    assert sleeper.delays == [0.2, 0.4, 0.8]  # growing, and no sleep after the last try


def test_a_proxy_error_page_is_a_5xx_too(api, gateway, sleeper):
    api.get(f"{API}/payments/{PAYMENT['id']}", body="<html>502 Bad Gateway</html>", status=502, content_type="text/html")
    with pytest.raises(GatewayError) as caught:
        gateway.fetch_payment(PAYMENT["id"])
    assert caught.value.retryable is True
    assert len(api.calls) == 4


def test_timeouts_until_the_limit_give_the_customer_message(api, gateway, sleeper):
    api.get(f"{API}/orders/{ORDER['id']}/payments", body=requests.exceptions.ReadTimeout("no answer"))
    with pytest.raises(GatewayError) as caught:
        gateway.order_payments(ORDER["id"])
    assert caught.value.retryable is True
    assert caught.value.message == "The payment service is not answering. Your seats are still held; please try again."
    assert len(api.calls) == 4
    assert sleeper.delays == [0.2, 0.4, 0.8]


def test_4xx_is_not_retried(api, gateway, sleeper):
    api.get(f"{API}/payments/pay_missing", json=BAD_REQUEST, status=400)
    with pytest.raises(GatewayError) as caught:
        gateway.fetch_payment("pay_missing")
    assert caught.value.retryable is False
    assert len(api.calls) == 1
    assert sleeper.delays == []


def test_a_4xx_with_an_unknown_error_code_is_still_not_retried(api, gateway, sleeper):
    api.post(f"{API}/orders", json={"error": {"code": "SOMETHING_NEW", "description": "?"}}, status=422)
    with pytest.raises(GatewayError) as caught:
        gateway.create_order(50000, "MQABCDEFGH", {})
    assert caught.value.retryable is False
    assert len(api.calls) == 1


@pytest.mark.parametrize("status", [409, 429])
def test_a_refund_still_in_progress_or_rate_limited_is_retried(api, gateway, sleeper, status):
    url = f"{API}/payments/{PAYMENT['id']}/refund"
    api.post(url, json={"error": {"code": "BAD_REQUEST_ERROR", "description": "Request in progress"}}, status=status)
    api.post(url, json=REFUND)
    assert gateway.refund(PAYMENT["id"], 20000, "rfnd_key_0003", {}).refund_id == REFUND["id"]
    assert len(api.calls) == 2 and sleeper.delays == [0.2]


def test_a_409_that_never_clears_is_a_retryable_error(api, gateway, sleeper):
    api.post(
        f"{API}/payments/{PAYMENT['id']}/refund", json={"error": {"code": "BAD_REQUEST_ERROR", "description": "busy"}}, status=409
    )
    with pytest.raises(GatewayError) as caught:
        gateway.refund(PAYMENT["id"], 20000, "rfnd_key_0004", {})
    assert caught.value.retryable is True
    assert len(api.calls) == 4


def test_the_module_sleep_is_used_when_none_is_given(api, monkeypatch):
    slept = []
    monkeypatch.setattr("ticketing.payments.razorpay_gateway.sleep", slept.append)
    gateway = RazorpayGateway(KEY_ID, KEY_SECRET, WEBHOOK_SECRET, timeout=1, retries=2)
    api.get(f"{API}/payments/{PAYMENT['id']}", json=SERVER_ERROR, status=503)
    with pytest.raises(GatewayError):
        gateway.fetch_payment(PAYMENT["id"])
    assert slept == [0.2, 0.4]


def test_the_key_secret_is_never_logged(api, gateway, caplog):
    api.post(f"{API}/orders", json=SERVER_ERROR, status=500)
    api.get(f"{API}/payments/x", json=BAD_REQUEST, status=400)
    with caplog.at_level("DEBUG"), pytest.raises(GatewayError):
        gateway.create_order(50000, "MQABCDEFGH", {})
    with caplog.at_level("DEBUG"), pytest.raises(GatewayError):
        gateway.fetch_payment("x")
    assert caplog.records
    assert KEY_SECRET not in caplog.text
    assert KEY_SECRET not in repr(gateway)


# --- signatures through the SDK ------------------------------------------------------------------------
def test_payment_signature_verified_through_the_sdk(gateway):
    good = payment_signature(ORDER["id"], PAYMENT["id"], KEY_SECRET)
    assert gateway.verify_payment_signature(ORDER["id"], PAYMENT["id"], good) is True
    assert gateway.verify_payment_signature(ORDER["id"], FAILED["id"], good) is False
    assert (
        gateway.verify_payment_signature(ORDER["id"], PAYMENT["id"], payment_signature(ORDER["id"], PAYMENT["id"], "wrong"))
        is False
    )
    assert gateway.verify_payment_signature(ORDER["id"], PAYMENT["id"], "") is False
    assert gateway.verify_payment_signature(ORDER["id"], PAYMENT["id"], None) is False


def test_webhook_signature_verified_through_the_sdk_on_the_raw_body(gateway):
    body = json.dumps({"entity": "event", "event": "payment.captured"}, separators=(",", ":")).encode()
    good = webhook_signature(body, WEBHOOK_SECRET)
    assert gateway.verify_webhook_signature(body, good) is True
    assert gateway.verify_webhook_signature(json.dumps(json.loads(body)).encode(), good) is False
    assert gateway.verify_webhook_signature(body, webhook_signature(body, KEY_SECRET)) is False
    assert gateway.verify_webhook_signature(body, None) is False
    assert gateway.verify_webhook_signature(b"\xff\xfe", good) is False


def test_without_a_webhook_secret_no_webhook_verifies():
    gateway = RazorpayGateway(KEY_ID, KEY_SECRET, "")
    body = b"{}"
    assert gateway.verify_webhook_signature(body, webhook_signature(body, "")) is False


# --- choosing the gateway ---------------------------------------------------------------------------
@override_settings(RAZORPAY_KEY_ID=KEY_ID, RAZORPAY_KEY_SECRET=KEY_SECRET, RAZORPAY_WEBHOOK_SECRET=WEBHOOK_SECRET)
def test_get_gateway_picks_razorpay_when_both_keys_are_set():
    gateway = get_gateway()
    assert isinstance(gateway, RazorpayGateway)
    assert (gateway.name, gateway.key_id) == ("razorpay", KEY_ID)


@override_settings(RAZORPAY_KEY_ID=KEY_ID, RAZORPAY_KEY_SECRET=KEY_SECRET, MARQUEE_PRODUCTION=True)
def test_production_with_keys_gets_razorpay():
    assert isinstance(get_gateway(), RazorpayGateway)
