"""Razorpay's two signatures, with real HMACs: the callback's (order|payment, key secret) and
the webhook's (raw body, webhook secret)."""

import hashlib
import hmac
import json

import pytest

from ticketing.payments.signatures import matches, payment_signature, webhook_signature

SECRET = "s3cr3t-key"
ORDER = "order_IluGWxBm9U8zJ8"
PAYMENT = "pay_IluGWxBm9U8zJ9"


def test_payment_signature_is_hex_hmac_sha256_of_order_pipe_payment():
    expected = hmac.new(SECRET.encode(), f"{ORDER}|{PAYMENT}".encode(), hashlib.sha256).hexdigest()
    assert payment_signature(ORDER, PAYMENT, SECRET) == expected
    assert len(expected) == 64


def test_a_valid_payment_signature_matches():
    assert matches(payment_signature(ORDER, PAYMENT, SECRET), payment_signature(ORDER, PAYMENT, SECRET))


@pytest.mark.parametrize(
    "order_id, payment_id, secret",
    [
        (ORDER, "pay_IluGWxBm9U8zJX", SECRET),  # tampered payment id
        ("order_IluGWxBm9U8zJX", PAYMENT, SECRET),  # tampered order id
        (ORDER, PAYMENT, "another-secret"),  # signed with the wrong secret
        (PAYMENT, ORDER, SECRET),  # fields swapped
    ],
)
def test_a_signature_for_anything_else_does_not_match(order_id, payment_id, secret):
    given = payment_signature(order_id, payment_id, secret)
    assert not matches(payment_signature(ORDER, PAYMENT, SECRET), given)


def test_a_tampered_signature_does_not_match():
    good = payment_signature(ORDER, PAYMENT, SECRET)
    tampered = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert not matches(good, tampered)
    assert not matches(good, good.upper())


@pytest.mark.parametrize("given", [None, "", 0, b"bytes", ["list"], "ünïcode"])
def test_missing_or_odd_signatures_never_match(given):
    assert matches(payment_signature(ORDER, PAYMENT, SECRET), given) is False


def test_an_empty_expected_value_never_matches():
    assert matches("", "") is False
    assert matches(None, None) is False


def test_webhook_signature_is_over_the_raw_bytes():
    body = b'{"entity":"event","event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_1"}}}}'
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert webhook_signature(body, SECRET) == expected
    assert matches(webhook_signature(body, SECRET), expected)


def test_a_reserialised_webhook_body_fails():
    body = b'{"entity":"event","event":"payment.captured","created_at":1795000000}'
    signature = webhook_signature(body, SECRET)
    reserialised = json.dumps(json.loads(body)).encode()  # same data, different bytes
    assert reserialised != body
    assert not matches(webhook_signature(reserialised, SECRET), signature)


def test_a_webhook_signed_with_the_wrong_secret_fails():
    body = b'{"event":"payment.failed"}'
    assert not matches(webhook_signature(body, SECRET), webhook_signature(body, "other"))
