"""Razorpay's two signatures, computed exactly as Razorpay computes them.

* The Checkout callback carries ``razorpay_signature`` = hex HMAC-SHA256 of
  ``"{order_id}|{payment_id}"`` keyed with the API key secret.
* A webhook carries ``X-Razorpay-Signature`` = hex HMAC-SHA256 of the raw request body keyed
  with the webhook secret. The body must be checked as received: re-serialised JSON differs.

The sandbox signs with these functions and both gateways check with them (the Razorpay
gateway through the SDK, which does the same arithmetic), so one set of views serves both.
"""

from __future__ import annotations

import hashlib
import hmac


def _hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def payment_signature(order_id: str, payment_id: str, secret: str) -> str:
    """The ``razorpay_signature`` Checkout posts to the callback for this order and payment."""
    return _hmac_hex(secret, f"{order_id}|{payment_id}".encode())


def webhook_signature(body: bytes, secret: str) -> str:
    """The ``X-Razorpay-Signature`` header for this raw webhook body."""
    if isinstance(body, str):
        body = body.encode()
    return _hmac_hex(secret, body)


def matches(expected: str, given) -> bool:
    """Constant-time comparison; anything that is not a non-empty string never matches."""
    if not isinstance(expected, str) or not expected:
        return False
    if not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
