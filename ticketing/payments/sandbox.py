"""The offline gateway (docs/DESIGN.md §4): Razorpay's behaviour, kept in three local tables.

Used when no Razorpay keys are configured (the demo, development, tests). Orders, payments
and refunds get Razorpay-shaped ids; the checkout page (ticketing.payments.views) posts the
same three fields Razorpay Checkout posts, signed with HMAC-SHA256 exactly as Razorpay signs
them, and webhooks are built byte for byte in Razorpay's shape and signed the same way. So the
callback, the webhook view and the finalizer cannot tell the sandbox from the real thing.

Its secrets are derived from SECRET_KEY (``key_secret``, ``webhook_secret``) and exposed so
the checkout page and tests can sign. It refuses to exist under production settings.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import string

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.urls import resolve, reverse
from django.utils import timezone

from core.queries import only_row
from core.raw_rows import every_column, from_row, insert_parts
from ticketing.models import SandboxOrder, SandboxPayment, SandboxRefund

from . import signatures
from .base import CheckoutInfo, GatewayError, GatewayOrder, GatewayPayment, GatewayRefund

KEY_ID = "rzp_test_sandbox"
DECLINED = "Payment declined by the sandbox (Fail button)."
WEBHOOK_EVENTS = ("payment.captured", "payment.failed", "order.paid")
_ALPHABET = string.ascii_letters + string.digits
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{10,64}")


def razorpay_id(prefix: str) -> str:
    """An id the way Razorpay writes them: a prefix and 14 random letters and digits."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(14))


def _derived_secret(label: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"marquee.sandbox.{label}".encode(), hashlib.sha256).hexdigest()


def _gateway_payment(payment: SandboxPayment) -> GatewayPayment:
    return GatewayPayment(
        payment_id=payment.payment_id,
        order_id=payment.order.order_id,
        amount=payment.amount,
        status=payment.status,
        method=payment.method,
        error=payment.error_description,
    )


def _gateway_refund(refund: SandboxRefund) -> GatewayRefund:
    return GatewayRefund(
        refund_id=refund.refund_id, payment_id=refund.payment.payment_id, amount=refund.amount, status="processed"
    )


class SandboxGateway:
    name = "sandbox"
    key_id = KEY_ID

    def __init__(self):
        if getattr(settings, "MARQUEE_PRODUCTION", False):
            raise ImproperlyConfigured(
                "The sandbox payment gateway cannot run in production: set RAZORPAY_KEY_ID and "
                "RAZORPAY_KEY_SECRET (and RAZORPAY_WEBHOOK_SECRET) to take real payments."
            )
        self.key_secret = _derived_secret("key_secret")
        self.webhook_secret = _derived_secret("webhook_secret")

    def __repr__(self):
        return "<SandboxGateway>"

    # --- orders --------------------------------------------------------------------------------
    def create_order(self, amount: int, receipt: str, notes: dict) -> GatewayOrder:
        amount = int(amount)
        if amount < 100:
            # Razorpay's own floor: an order is at least ₹1.
            raise GatewayError("The amount to pay must be at least ₹1.00.", retryable=False)
        order = SandboxOrder.objects.create(
            order_id=razorpay_id("order_"), amount=amount, receipt=receipt, notes=dict(notes or {})
        )
        return GatewayOrder(order_id=order.order_id, amount=order.amount, currency=order.currency, receipt=order.receipt)

    def checkout_info(self, order: GatewayOrder) -> CheckoutInfo:
        return CheckoutInfo(
            gateway=self.name,
            key_id=self.key_id,
            order_id=order.order_id,
            amount=order.amount,
            currency=order.currency,
            extra={"checkout_url": reverse("sandbox_checkout", args=[order.order_id])},
        )

    # --- the customer pays (or does not) ----------------------------------------------------------
    def pay(self, order_id: str, succeed: bool = True, amount: int | None = None) -> GatewayPayment:
        """What happens at Razorpay when the customer completes Checkout: a captured payment
        (the order becomes paid) or a failed one (the order becomes attempted)."""
        if connection.vendor == "postgresql":
            payment = self._pay_in_one_statement(order_id, succeed, amount)
            if payment is not None:
                return _gateway_payment(payment)
        with transaction.atomic():
            order = only_row(SandboxOrder.objects.select_for_update().filter(order_id=order_id))
            if order is None:
                raise GatewayError("This payment order does not exist.", retryable=False)
            if order.status == "paid":
                raise GatewayError("This order has already been paid.", retryable=False)
            payment = SandboxPayment.objects.create(
                payment_id=razorpay_id("pay_"),
                order=order,
                amount=order.amount if amount is None else int(amount),
                status="captured" if succeed else "failed",
                error_description="" if succeed else DECLINED,
            )
            order.status = "paid" if succeed else "attempted"
            order.save(update_fields=["status"])
        return _gateway_payment(payment)

    def _pay_in_one_statement(self, order_id: str, succeed: bool, amount: int | None) -> SandboxPayment | None:
        """The order's status moves and the payment is written in one statement (the UPDATE
        locks the order and refuses a paid one). None: no unpaid order, the refusal is worded
        by the locked path above."""
        made = SandboxPayment(
            payment_id=razorpay_id("pay_"),
            amount=0 if amount is None else int(amount),
            status="captured" if succeed else "failed",
            error_description="" if succeed else DECLINED,
        )
        columns, selected, params = insert_parts(
            made, expressions={"order_id": "o.id", **({"amount": "o.amount"} if amount is None else {})}
        )
        orders = SandboxOrder._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH o AS (UPDATE {orders} SET status = %s WHERE order_id = %s AND status <> %s RETURNING id, order_id, amount) "
                f"INSERT INTO {SandboxPayment._meta.db_table} ({columns}) SELECT {selected} FROM o "
                f"RETURNING {every_column(SandboxPayment)}, (SELECT order_id FROM o)",
                ["paid" if succeed else "attempted", order_id, "paid", *params],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        *values, order_reference = row
        payment = from_row(SandboxPayment, values)
        payment.order = SandboxOrder(pk=payment.order_id, order_id=order_reference)
        return payment

    def sign_payment(self, order_id: str, payment_id: str) -> str:
        """The ``razorpay_signature`` Checkout would post to the callback."""
        return signatures.payment_signature(order_id, payment_id, self.key_secret)

    def verify_payment_signature(self, order_id: str, payment_id: str, signature: str) -> bool:
        if not all(isinstance(value, str) and value for value in (order_id, payment_id)):
            return False
        return signatures.matches(self.sign_payment(order_id, payment_id), signature)

    def verify_webhook_signature(self, body: bytes, signature: str) -> bool:
        if not isinstance(body, bytes | str):
            return False
        return signatures.matches(signatures.webhook_signature(body, self.webhook_secret), signature)

    # --- reading back -----------------------------------------------------------------------------
    def fetch_payment(self, payment_id: str) -> GatewayPayment:
        payment = only_row(SandboxPayment.objects.select_related("order").filter(payment_id=payment_id))
        if payment is None:
            raise GatewayError("The payment service does not know this payment.", retryable=False)
        return _gateway_payment(payment)

    def order_payments(self, order_id: str) -> list[GatewayPayment]:
        payments = SandboxPayment.objects.select_related("order").filter(order__order_id=order_id).order_by("pk")
        return [_gateway_payment(payment) for payment in payments]

    # --- refunds --------------------------------------------------------------------------------
    def refund(self, payment_id: str, amount: int, idempotency_key: str, notes: dict) -> GatewayRefund:
        """Refund part or all of a captured payment. The same idempotency key always answers
        with the same refund; the refunds of a payment never add up to more than it."""
        amount = int(amount)
        if not isinstance(idempotency_key, str) or not IDEMPOTENCY_KEY.fullmatch(idempotency_key):
            # Razorpay's rule for X-Refund-Idempotency.
            raise GatewayError("A refund needs an idempotency key of 10 or more letters, digits, - or _.", retryable=False)
        try:
            with transaction.atomic():
                payment = SandboxPayment.objects.select_for_update().select_related("order").filter(payment_id=payment_id).first()
                if payment is None:
                    raise GatewayError("The payment service does not know this payment.", retryable=False)
                existing = SandboxRefund.objects.select_related("payment").filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return self._same_refund(existing, payment_id, amount)
                if payment.status not in ("captured", "refunded"):
                    raise GatewayError("Only a captured payment can be refunded.", retryable=False)
                if amount <= 0:
                    raise GatewayError("A refund must be for a positive amount.", retryable=False)
                refunded = payment.refunds.aggregate(total=Sum("amount"))["total"] or 0
                if refunded + amount > payment.amount:
                    raise GatewayError(
                        "The refund is more than what is left of the payment.",
                        retryable=False,
                    )
                refund = SandboxRefund.objects.create(
                    refund_id=razorpay_id("rfnd_"), payment=payment, amount=amount, idempotency_key=idempotency_key
                )
                if refunded + amount == payment.amount:
                    payment.status = "refunded"  # as Razorpay marks a fully refunded payment
                    payment.save(update_fields=["status"])
                return _gateway_refund(refund)
        except IntegrityError:
            # Another request created the refund for this key between our check and insert.
            existing = SandboxRefund.objects.select_related("payment").get(idempotency_key=idempotency_key)
            return self._same_refund(existing, payment_id, amount)

    @staticmethod
    def _same_refund(existing: SandboxRefund, payment_id: str, amount: int) -> GatewayRefund:
        """The refund already made with this key, if the request is the same one again;
        Razorpay refuses a different request under a used key."""
        if existing.payment.payment_id != payment_id or existing.amount != amount:
            raise GatewayError("Different request with the same idempotency key has already been processed.", retryable=False)
        return _gateway_refund(existing)

    # --- webhooks -----------------------------------------------------------------------------------
    def webhook_payload(self, event: str, payment, *, event_id: str | None = None) -> tuple[bytes, dict]:
        """The body and headers Razorpay would send for this event about this payment
        (a GatewayPayment, a SandboxPayment or a payment id). Pass ``event_id`` to build a
        redelivery of an event already sent."""
        if event not in WEBHOOK_EVENTS:
            raise ValueError(f"The sandbox sends {', '.join(WEBHOOK_EVENTS)}, not {event!r}.")
        payment_id = payment if isinstance(payment, str) else payment.payment_id
        record = SandboxPayment.objects.select_related("order").get(payment_id=payment_id)
        order = record.order
        failed = record.status == "failed"
        created_at = int(timezone.now().timestamp())
        payment_entity = {
            "id": record.payment_id,
            "entity": "payment",
            "amount": record.amount,
            "currency": order.currency,
            "status": record.status,
            "order_id": order.order_id,
            "invoice_id": None,
            "international": False,
            "method": record.method,
            "amount_refunded": record.refunds.aggregate(total=Sum("amount"))["total"] or 0,
            "refund_status": None,
            "captured": record.status in ("captured", "refunded"),
            "description": order.receipt,
            "email": "",
            "contact": "",
            "notes": order.notes,
            "fee": None,
            "tax": None,
            "error_code": "BAD_REQUEST_ERROR" if failed else None,
            "error_description": record.error_description or None,
            "error_source": "customer" if failed else None,
            "error_step": "payment_authorization" if failed else None,
            "error_reason": "payment_failed" if failed else None,
            "created_at": int(record.created_at.timestamp()),
        }
        payload = {"payment": {"entity": payment_entity}}
        contains = ["payment"]
        if event == "order.paid":
            paid = order.amount if order.status == "paid" else 0
            payload["order"] = {
                "entity": {
                    "id": order.order_id,
                    "entity": "order",
                    "amount": order.amount,
                    "amount_paid": paid,
                    "amount_due": order.amount - paid,
                    "currency": order.currency,
                    "receipt": order.receipt,
                    "offer_id": None,
                    "status": order.status,
                    "attempts": order.payments.count(),
                    "notes": order.notes,
                    "created_at": int(order.created_at.timestamp()),
                }
            }
            contains.append("order")
        body = json.dumps(
            {
                "entity": "event",
                "account_id": "acc_sandbox",
                "event": event,
                "contains": contains,
                "payload": payload,
                "created_at": created_at,
            },
            separators=(",", ":"),
        ).encode()
        headers = {
            "X-Razorpay-Signature": signatures.webhook_signature(body, self.webhook_secret),
            "X-Razorpay-Event-Id": event_id or razorpay_id("evt_"),
        }
        return body, headers

    def deliver_webhook(self, event: str, payment, *, event_id: str | None = None) -> int:
        """Send the webhook to the app's own webhook view, in process (no HTTP), as Razorpay
        would; returns the response's status code."""
        from django.test import RequestFactory

        body, headers = self.webhook_payload(event, payment, event_id=event_id)
        path = reverse("razorpay_webhook")
        request = RequestFactory().post(
            path,
            data=body,
            content_type="application/json",
            HTTP_X_RAZORPAY_SIGNATURE=headers["X-Razorpay-Signature"],
            HTTP_X_RAZORPAY_EVENT_ID=headers["X-Razorpay-Event-Id"],
        )
        request.user = AnonymousUser()
        match = resolve(path)
        response = match.func(request, *match.args, **match.kwargs)
        return response.status_code
