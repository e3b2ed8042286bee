"""The real gateway: Razorpay through its official SDK (razorpay 2.0.1), docs/DESIGN.md §4.

Every call to Razorpay
* has a timeout (``MARQUEE_GATEWAY_TIMEOUT`` seconds): passed with each SDK call, and also
  applied by the HTTP session itself, so no request can wait forever;
* is tried again up to ``MARQUEE_GATEWAY_RETRIES`` more times, after 0.2 s, 0.4 s, 0.8 s…, when
  it timed out, could not connect or got a 5xx (or 409/429, Razorpay's "not now"). Any other
  4xx is Razorpay saying no and is not retried.
  (The SDK's own retry loop is left switched off: it only covers connection errors and sleeps
  with ``time.sleep`` we could not replace in tests.)
* never starts a retry that could end after ``MARQUEE_GATEWAY_DEADLINE`` seconds from the first
  try (the time so far, the pause and one more timeout), so a customer waiting on "Pay" hears
  "not answering" — hold kept, wallet part back — before the web server kills the request.
* ends, when it fails, in a GatewayError whose message a customer can read.

Refunds carry ``X-Refund-Idempotency`` so a retried refund is never paid out twice. The key
secret is never logged or shown in ``repr``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import razorpay
import requests
from django.conf import settings
from django.utils.translation import gettext, gettext_noop
from razorpay.errors import BadRequestError, SignatureVerificationError

from .base import CheckoutInfo, GatewayError, GatewayOrder, GatewayPayment, GatewayRefund

logger = logging.getLogger(__name__)

NOT_ANSWERING = gettext_noop("The payment service is not answering. Your seats are still held; please try again.")
REFUSED = gettext_noop(
    "The payment service could not accept this request. Your seats are still held; please contact the box office if this keeps happening."
)
FIRST_DELAY = 0.2  # seconds before the first retry; doubles each time
# 4xx that mean "not now" rather than "no": 409 is Razorpay answering a refund whose
# idempotency key is still being processed (its docs say to retry), 429 is rate limiting.
RETRYABLE_4XX = frozenset({409, 429})

# Patched in tests so retries do not really wait; a gateway can also be given its own.
sleep = time.sleep
monotonic = time.monotonic  # patched in tests to count simulated waiting against the deadline


class TimeoutSession(requests.Session):
    """A requests session that always applies a timeout and remembers the last HTTP status.

    The SDK turns an error response into BadRequestError/ServerError, or a JSON decode error
    when a proxy answers with HTML; the remembered status tells a 4xx from a 5xx either way.
    """

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout
        self.last_status: int | None = None

    def request(self, method, url, *args, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        self.last_status = None
        response = super().request(method, url, *args, **kwargs)
        self.last_status = response.status_code
        return response


def _payment(entity: dict) -> GatewayPayment:
    return GatewayPayment(
        payment_id=entity["id"],
        order_id=entity.get("order_id") or "",
        amount=int(entity["amount"]),
        status=entity.get("status") or "",
        method=entity.get("method") or "",
        error=entity.get("error_description") or "",
    )


class RazorpayGateway:
    name = "razorpay"

    def __init__(
        self,
        key_id: str | None = None,
        key_secret: str | None = None,
        webhook_secret: str | None = None,
        *,
        timeout: float | None = None,
        retries: int | None = None,
        sleep: Callable[[float], None] | None = None,
        deadline: float | None = None,
    ):
        self.key_id = key_id if key_id is not None else settings.RAZORPAY_KEY_ID
        self._key_secret = key_secret if key_secret is not None else settings.RAZORPAY_KEY_SECRET
        self._webhook_secret = webhook_secret if webhook_secret is not None else settings.RAZORPAY_WEBHOOK_SECRET
        self.timeout = float(timeout if timeout is not None else settings.MARQUEE_GATEWAY_TIMEOUT)
        self.retries = max(0, int(retries if retries is not None else settings.MARQUEE_GATEWAY_RETRIES))
        self.deadline = float(deadline if deadline is not None else settings.MARQUEE_GATEWAY_DEADLINE)
        self._sleep = sleep
        self.session = TimeoutSession(self.timeout)
        self.client = razorpay.Client(session=self.session, auth=(self.key_id, self._key_secret))

    def __repr__(self):
        return f"<RazorpayGateway key_id={self.key_id!r}>"

    # --- the retry loop ------------------------------------------------------------------------
    def _pause(self, seconds: float) -> None:
        (self._sleep or sleep)(seconds)

    def _call(self, what: str, func, *args, **kwargs):
        """Run one SDK call with the timeout, retrying what may pass; translate failures."""
        kwargs["timeout"] = self.timeout
        delay = FIRST_DELAY
        started = monotonic()
        for attempt in range(self.retries + 1):
            try:
                return func(*args, **kwargs)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                failure = exc
                reason = type(exc).__name__
            except (BadRequestError, razorpay.errors.ServerError, razorpay.errors.GatewayError, ValueError) as exc:
                # BadRequestError: a 4xx, Razorpay saying no; ServerError/GatewayError: a 5xx or
                # an error code the SDK does not know; ValueError: a body that is not JSON (a
                # proxy's error page). The HTTP status decides whether asking again can help.
                status = self.session.last_status
                if isinstance(exc, BadRequestError) and status is None:
                    status = 400
                if status is not None and status < 500 and status not in RETRYABLE_4XX:
                    logger.warning("Razorpay refused %s (HTTP %s): %s", what, status, exc)
                    raise GatewayError(gettext(REFUSED), retryable=False) from exc
                failure = exc
                reason = f"HTTP {status}"
            except requests.exceptions.RequestException as exc:  # a bad URL, too many redirects…
                logger.error("Razorpay %s could not be sent: %s", what, type(exc).__name__)
                raise GatewayError(gettext(REFUSED), retryable=False) from exc
            out_of_time = monotonic() - started + delay + self.timeout > self.deadline
            if attempt == self.retries or out_of_time:
                logger.error("Razorpay %s failed after %d attempts (%s)", what, attempt + 1, reason)
                raise GatewayError(gettext(NOT_ANSWERING), retryable=True) from failure
            logger.warning("Razorpay %s: %s, retrying in %.1f s (attempt %d)", what, reason, delay, attempt + 1)
            self._pause(delay)
            delay *= 2

    # --- the Gateway interface ------------------------------------------------------------------
    def create_order(self, amount: int, receipt: str, notes: dict) -> GatewayOrder:
        data = {"amount": int(amount), "currency": "INR", "receipt": receipt, "notes": dict(notes or {})}
        order = self._call("order.create", self.client.order.create, data)
        return GatewayOrder(
            order_id=order["id"],
            amount=int(order["amount"]),
            currency=order.get("currency") or "INR",
            receipt=order.get("receipt") or receipt,
        )

    def checkout_info(self, order: GatewayOrder) -> CheckoutInfo:
        return CheckoutInfo(
            gateway=self.name, key_id=self.key_id, order_id=order.order_id, amount=order.amount, currency=order.currency
        )

    def verify_payment_signature(self, order_id: str, payment_id: str, signature: str) -> bool:
        if not all(isinstance(value, str) and value for value in (order_id, payment_id, signature)):
            return False
        try:
            return bool(
                self.client.utility.verify_payment_signature(
                    {"razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature}
                )
            )
        except (SignatureVerificationError, TypeError):
            return False

    def verify_webhook_signature(self, body: bytes, signature: str) -> bool:
        if not self._webhook_secret:
            logger.error("A Razorpay webhook arrived but RAZORPAY_WEBHOOK_SECRET is not set; refusing it.")
            return False
        if not isinstance(signature, str) or not signature:
            return False
        try:
            text = body.decode() if isinstance(body, bytes) else body
            return bool(self.client.utility.verify_webhook_signature(text, signature, self._webhook_secret))
        except (SignatureVerificationError, TypeError, UnicodeDecodeError):
            return False

    def fetch_payment(self, payment_id: str) -> GatewayPayment:
        return _payment(self._call("payment.fetch", self.client.payment.fetch, payment_id))

    def order_payments(self, order_id: str) -> list[GatewayPayment]:
        answer = self._call("order.payments", self.client.order.payments, order_id)
        return [_payment(entity) for entity in answer.get("items", [])]

    def refund(self, payment_id: str, amount: int, idempotency_key: str, notes: dict) -> GatewayRefund:
        refund = self._call(
            "payment.refund",
            self.client.payment.refund,
            payment_id,
            {"amount": int(amount), "notes": dict(notes or {})},
            headers={"X-Refund-Idempotency": idempotency_key},
        )
        return GatewayRefund(
            refund_id=refund["id"],
            payment_id=refund.get("payment_id") or payment_id,
            amount=int(refund["amount"]),
            status=refund.get("status") or "pending",
        )
