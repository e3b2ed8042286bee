"""Payment gateways (docs/DESIGN.md §4): ``get_gateway()`` answers Razorpay or the sandbox.

Razorpay when both RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET are set; otherwise the offline
sandbox, which raises ImproperlyConfigured under production settings (MARQUEE_PRODUCTION).
"""

from __future__ import annotations

from django.conf import settings

from .base import CheckoutInfo, Gateway, GatewayError, GatewayOrder, GatewayPayment, GatewayRefund

__all__ = [
    "CheckoutInfo",
    "Gateway",
    "GatewayError",
    "GatewayOrder",
    "GatewayPayment",
    "GatewayRefund",
    "get_gateway",
    "razorpay_configured",
]


def razorpay_configured() -> bool:
    return bool(settings.RAZORPAY_KEY_ID and settings.RAZORPAY_KEY_SECRET)


def get_gateway() -> Gateway:
    """A fresh gateway for this call: Razorpay when its keys are set, else the sandbox."""
    if razorpay_configured():
        from .razorpay_gateway import RazorpayGateway

        return RazorpayGateway()
    from .sandbox import SandboxGateway

    return SandboxGateway()
