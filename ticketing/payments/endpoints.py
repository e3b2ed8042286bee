"""The two doors payments come in by: the browser's callback and Razorpay's webhook."""

from __future__ import annotations

import contextlib
import json
import logging
import re

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.queries import only_row
from ticketing.errors import BookingError
from ticketing.models import Payment
from ticketing.payments import get_gateway
from ticketing.payments.base import GatewayError
from ticketing.payments.webhooks import BadWebhook, receive
from ticketing.services.finalize import finalize_payment, payment_failed

log = logging.getLogger("marquee.payments")
GATEWAY_ID = re.compile(r"[A-Za-z0-9_]{1,64}")


def _gateway_id(value) -> str:
    """An order or payment id (or a signature) as Razorpay writes them (letters, digits, "_",
    at most 64), else "": odd bytes such as NUL never reach the database (PostgreSQL refuses
    them with an error). Never cut to length: a valid signature with anything appended must
    not verify as the valid one."""
    value = str(value or "")
    return value if len(value) <= 64 and GATEWAY_ID.fullmatch(value) else ""


def _gateway():
    return get_gateway()


def _booking_url(booking) -> str:
    return reverse("booking_page", args=[booking.reference])


@csrf_exempt  # posted by Razorpay Checkout (another origin); the HMAC signature is the proof
@require_POST
def razorpay_callback(request):
    """The three signed fields after a payment, or Razorpay's error fields after a failure."""
    post = request.POST
    if "error[metadata]" in post or "error[code]" in post:
        try:
            meta = json.loads(post.get("error[metadata]") or "{}")
        except ValueError:
            meta = {}
        order_id, payment_id = _gateway_id(meta.get("order_id")), _gateway_id(meta.get("payment_id"))
        payment = only_row(Payment.objects.select_related("booking").filter(order_id=order_id))
        if payment is None or not payment_id:
            return HttpResponse("We could not match this payment to a booking.", status=400, content_type="text/plain")
        with contextlib.suppress(GatewayError):  # else the webhook or the reconcile task settles it
            payment_failed(order_id=order_id, payment_id=payment_id)
        reason = (post.get("error[description]") or gettext("The payment did not go through."))[:200]
        messages.error(request, gettext("%(reason)s Your seats are still held: you can try again.") % {"reason": reason})
        return redirect(_booking_url(payment.booking))

    order_id = _gateway_id(post.get("razorpay_order_id"))
    payment_id = _gateway_id(post.get("razorpay_payment_id"))
    signature = _gateway_id(post.get("razorpay_signature"))
    # The booking is not read here: the finalizer locks and reads it (its answer carries it).
    payment = only_row(Payment.objects.filter(order_id=order_id))
    if payment is None or not payment_id or not _gateway().verify_payment_signature(order_id, payment_id, signature):
        log.warning("callback with a bad signature for order %s", order_id)
        return HttpResponse("This payment could not be verified.", status=400, content_type="text/plain")
    try:
        result = finalize_payment(order_id=order_id, payment_id=payment_id, source="callback", payment=payment)
    except GatewayError:
        messages.info(request, gettext("We are confirming your payment with the bank; this page will update shortly."))
        return redirect(_booking_url(payment.booking))
    except BookingError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain")
    # The webhook often confirms first; to the customer coming back from the gateway that is
    # the same good news, not "already recorded".
    text = gettext("Payment received: your booking is confirmed.") if result.outcome == "already_confirmed" else result.message
    (messages.success if result.confirmed else messages.warning)(request, text)
    return redirect(_booking_url(result.booking))


@csrf_exempt  # server-to-server; the signature on the raw body is the proof
@require_POST
def razorpay_webhook(request):
    """Store and acknowledge at once (Razorpay wants 2xx within seconds); work in the queue."""
    try:
        event, new = receive(
            request.body,
            request.headers.get("X-Razorpay-Signature", ""),
            request.headers.get("X-Razorpay-Event-Id", ""),
            _gateway(),
        )
    except BadWebhook as error:
        log.warning("webhook refused: %s", error)
        return JsonResponse({"detail": f"Refused: {error}."}, status=400)
    return JsonResponse({"status": "accepted" if new else "duplicate"})
