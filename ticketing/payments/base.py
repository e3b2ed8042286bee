"""The gateway interface the box office talks to (docs/DESIGN.md §4): Razorpay or the sandbox.

Amounts cross this boundary in integer paise, as Razorpay counts them; core.money
converts. Every method either answers or raises GatewayError with a message a customer can
read; ``retryable`` says whether trying again later may help (timeouts, 5xx).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class GatewayError(Exception):
    def __init__(self, message: str, *, retryable: bool = False):
        super().__init__(message)
        self.message = message
        self.retryable = retryable


@dataclass(frozen=True)
class GatewayOrder:
    order_id: str
    amount: int  # paise
    currency: str = "INR"
    receipt: str = ""


@dataclass(frozen=True)
class GatewayPayment:
    payment_id: str
    order_id: str
    amount: int  # paise
    status: str  # Razorpay's words: created | authorized | captured | refunded | failed
    method: str = ""
    error: str = ""  # error_description when failed

    @property
    def captured(self) -> bool:
        return self.status == "captured"


@dataclass(frozen=True)
class GatewayRefund:
    refund_id: str
    payment_id: str
    amount: int  # paise
    status: str  # pending | processed | failed


@dataclass
class CheckoutInfo:
    """What the browser needs to collect the payment (the pay endpoint's response fields)."""

    gateway: str
    key_id: str
    order_id: str
    amount: int
    currency: str = "INR"
    extra: dict = field(default_factory=dict)  # e.g. {"checkout_url": ...} for the sandbox


class Gateway(Protocol):
    name: str  # "razorpay" | "sandbox"
    key_id: str

    def create_order(self, amount: int, receipt: str, notes: dict) -> GatewayOrder: ...

    def checkout_info(self, order: GatewayOrder) -> CheckoutInfo: ...

    def verify_payment_signature(self, order_id: str, payment_id: str, signature: str) -> bool: ...

    def verify_webhook_signature(self, body: bytes, signature: str) -> bool: ...

    def fetch_payment(self, payment_id: str) -> GatewayPayment: ...

    def order_payments(self, order_id: str) -> list[GatewayPayment]: ...

    def refund(self, payment_id: str, amount: int, idempotency_key: str, notes: dict) -> GatewayRefund: ...
