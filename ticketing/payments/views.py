"""The sandbox's checkout page: what Razorpay Checkout does, offline.

GET shows the order (the customer's own booking only) with "Pay ₹…" and "Fail". POST records
the payment in the sandbox, optionally delivers the matching webhook in process (as Razorpay
would, independently of the browser), then sends the browser to the callback with exactly the
fields Razorpay Checkout posts to a callback_url: an auto-submitting form (static/js/sandbox.js;
a plain button without JavaScript), never an inline script.
"""

from __future__ import annotations

import json
import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from core.money import from_paise
from ticketing.models import Booking, SandboxOrder

from .base import GatewayError
from .sandbox import DECLINED, SandboxGateway

logger = logging.getLogger(__name__)

CALLBACK_PATH = "/payments/razorpay/callback/"


def callback_url() -> str:
    try:
        return reverse("razorpay_callback")
    except NoReverseMatch:
        return CALLBACK_PATH


def _order_for(request, order_id: str) -> tuple[SandboxOrder, Booking]:
    """The sandbox order of one of this customer's bookings; anything else is a 404."""
    if not (order_id.isascii() and order_id.replace("_", "").isalnum()):
        raise Http404("No such payment.")  # odd bytes (NUL) never reach the database
    order = SandboxOrder.objects.filter(order_id=order_id[:40]).first()
    booking = None
    if order is not None:
        booking = Booking.objects.filter(reference=order.receipt, user=request.user).select_related("show__movie").first()
    if booking is None:
        raise Http404("No such payment.")
    return order, booking


def _deliver(gateway: SandboxGateway, event: str, payment) -> None:
    """Razorpay's webhook, delivered in process. A failure here is the webhook's business,
    as it would be at Razorpay: the browser still goes on to the callback."""
    try:
        status = gateway.deliver_webhook(event, payment)
    except Exception:
        logger.exception("The sandbox could not deliver the %s webhook for %s", event, payment.payment_id)
        return
    if status >= 300:
        logger.warning("The webhook view answered %s to the sandbox's %s for %s", status, event, payment.payment_id)


@login_required
@require_http_methods(["GET", "POST"])
def sandbox_checkout(request, order_id):
    try:
        gateway = SandboxGateway()
    except ImproperlyConfigured as exc:  # production settings: there is no sandbox
        raise Http404("No such payment.") from exc
    order, booking = _order_for(request, order_id)
    context = {"order": order, "booking": booking, "amount": from_paise(order.amount)}

    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("pay", "fail"):
            context["error"] = "Choose Pay or Fail."
            return render(request, "ticketing/sandbox_checkout.html", context, status=400)
        if order.status != "created":
            return render(request, "ticketing/sandbox_checkout.html", context, status=409)
        # The hidden "0" comes first and the checkbox's "1" last: no field at all means on.
        send_webhook = request.POST.get("webhook", "1") == "1"
        try:
            payment = gateway.pay(order.order_id, succeed=action == "pay")
        except GatewayError as exc:
            order.refresh_from_db()
            context["error"] = exc.message
            return render(request, "ticketing/sandbox_checkout.html", context, status=409)
        if send_webhook:
            _deliver(gateway, "payment.captured" if payment.captured else "payment.failed", payment)
        if payment.captured:
            fields = [
                ("razorpay_order_id", order.order_id),
                ("razorpay_payment_id", payment.payment_id),
                ("razorpay_signature", gateway.sign_payment(order.order_id, payment.payment_id)),
            ]
        else:
            fields = [
                ("error[code]", "BAD_REQUEST_ERROR"),
                ("error[description]", DECLINED),
                ("error[source]", "customer"),
                ("error[step]", "payment_authorization"),
                ("error[reason]", "payment_failed"),
                ("error[metadata]", json.dumps({"payment_id": payment.payment_id, "order_id": order.order_id})),
            ]
        return render(
            request,
            "ticketing/sandbox_redirect.html",
            {**context, "action": callback_url(), "fields": fields, "captured": payment.captured},
        )

    return render(request, "ticketing/sandbox_checkout.html", context)
