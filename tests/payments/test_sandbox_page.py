"""The sandbox checkout page at /payments/sandbox/<order_id>/: only the booking's owner sees
it; Pay and Fail record the payment and post Razorpay Checkout's callback fields."""

import json
import re
from html import unescape

import pytest
from django.test import Client

from core.money import from_paise
from home.templatetags.marquee import inr
from ticketing.models import SandboxOrder, SandboxPayment
from ticketing.payments import sandbox as sandbox_module
from ticketing.payments.sandbox import DECLINED

from .conftest import signed_in

pytestmark = pytest.mark.django_db

CALLBACK = "/payments/razorpay/callback/"


def page_url(order) -> str:
    return f"/payments/sandbox/{order.order_id}/"


def posted_fields(response) -> dict:
    """The hidden fields of the auto-submitting form, as the browser would post them."""
    html = re.search(r"<form [^>]*data-autosubmit>(.*?)</form>", response.content.decode(), re.S).group(1)
    return {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    }


def form_action(response) -> str:
    return re.search(r'<form method="post" action="([^"]+)" data-autosubmit>', response.content.decode()).group(1)


@pytest.fixture
def deliveries(monkeypatch):
    """Webhooks the page delivers; the real webhook view is written elsewhere."""
    sent = []

    def deliver(self, event, payment, *, event_id=None):
        sent.append((event, payment.payment_id))
        return 200

    monkeypatch.setattr(sandbox_module.SandboxGateway, "deliver_webhook", deliver)
    return sent


# --- who sees it ----------------------------------------------------------------------------------
def test_the_owner_sees_the_amount_reference_and_both_buttons(asha, booking, order):
    response = signed_in(asha).get(page_url(order))
    assert response.status_code == 200
    html = response.content.decode()
    assert inr(from_paise(51240)) == "₹512.40"
    assert "Pay ₹512.40" in html
    assert ">Fail<" in html
    assert booking.reference in html
    assert 'name="webhook" value="1" checked' in html
    assert "csrfmiddlewaretoken" in html
    assert "<script>" not in html  # no inline scripts


def test_another_customer_gets_404(ravi, order):
    assert signed_in(ravi).get(page_url(order)).status_code == 404
    assert signed_in(ravi).post(page_url(order), {"action": "pay"}).status_code == 404
    assert SandboxPayment.objects.count() == 0


def test_an_unknown_order_is_404(asha, booking):
    assert signed_in(asha).get("/payments/sandbox/order_doesnotexist00/").status_code == 404


def test_an_order_whose_receipt_is_not_a_booking_is_404(asha, sandbox):
    order = sandbox.create_order(10000, "NOT-A-BOOKING", {})
    assert signed_in(asha).get(page_url(order)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(order):
    response = Client().get(page_url(order))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert Client().post(page_url(order), {"action": "pay"}).status_code == 302
    assert SandboxPayment.objects.count() == 0


# --- paying ------------------------------------------------------------------------------------------
def test_pay_records_a_captured_payment_and_auto_posts_the_three_signed_fields(asha, order, sandbox, deliveries):
    response = signed_in(asha).post(page_url(order), {"action": "pay", "webhook": ["0", "1"]})
    assert response.status_code == 200
    payment = SandboxPayment.objects.get()
    assert (payment.status, payment.amount, payment.order.order_id) == ("captured", 51240, order.order_id)
    assert SandboxOrder.objects.get(order_id=order.order_id).status == "paid"

    assert form_action(response) == CALLBACK
    fields = posted_fields(response)
    assert set(fields) == {"razorpay_order_id", "razorpay_payment_id", "razorpay_signature"}
    assert fields["razorpay_order_id"] == order.order_id
    assert fields["razorpay_payment_id"] == payment.payment_id
    assert sandbox.verify_payment_signature(order.order_id, payment.payment_id, fields["razorpay_signature"])
    assert "js/sandbox.js" in response.content.decode()
    assert deliveries == [("payment.captured", payment.payment_id)]


def test_without_the_webhook_box_no_webhook_is_sent(asha, order, deliveries):
    response = signed_in(asha).post(page_url(order), {"action": "pay", "webhook": "0"})
    assert response.status_code == 200
    assert SandboxPayment.objects.get().status == "captured"
    assert deliveries == []


def test_the_webhook_is_on_when_the_form_says_nothing(asha, order, deliveries):
    signed_in(asha).post(page_url(order), {"action": "pay"})
    assert [event for event, _ in deliveries] == ["payment.captured"]


def test_fail_records_a_failed_payment_and_posts_razorpays_error_fields(asha, order, deliveries):
    response = signed_in(asha).post(page_url(order), {"action": "fail"})
    assert response.status_code == 200
    payment = SandboxPayment.objects.get()
    assert (payment.status, payment.error_description) == ("failed", DECLINED)
    assert SandboxOrder.objects.get(order_id=order.order_id).status == "attempted"

    assert form_action(response) == CALLBACK
    fields = posted_fields(response)
    assert fields == {
        "error[code]": "BAD_REQUEST_ERROR",
        "error[description]": DECLINED,
        "error[source]": "customer",
        "error[step]": "payment_authorization",
        "error[reason]": "payment_failed",
        "error[metadata]": json.dumps({"payment_id": payment.payment_id, "order_id": order.order_id}),
    }
    assert json.loads(fields["error[metadata]"]) == {"payment_id": payment.payment_id, "order_id": order.order_id}
    assert deliveries == [("payment.failed", payment.payment_id)]


def test_a_webhook_view_that_breaks_does_not_stop_the_callback(asha, order, monkeypatch):
    def broken(self, event, payment, *, event_id=None):
        raise RuntimeError("webhook view exploded")

    monkeypatch.setattr(sandbox_module.SandboxGateway, "deliver_webhook", broken)
    response = signed_in(asha).post(page_url(order), {"action": "pay"})
    assert response.status_code == 200
    assert set(posted_fields(response)) == {"razorpay_order_id", "razorpay_payment_id", "razorpay_signature"}


def test_a_paid_order_says_so_and_cannot_be_paid_twice(asha, order, deliveries):
    client = signed_in(asha)
    client.post(page_url(order), {"action": "pay"})
    page = client.get(page_url(order))
    html = page.content.decode()
    assert page.status_code == 200
    assert "has been <strong>paid</strong>" in html
    assert 'value="pay"' not in html and 'value="fail"' not in html
    again = client.post(page_url(order), {"action": "pay"})
    assert again.status_code == 409
    assert SandboxPayment.objects.count() == 1


def test_a_failed_order_says_so_instead_of_offering_the_buttons(asha, order, deliveries):
    client = signed_in(asha)
    client.post(page_url(order), {"action": "fail"})
    html = client.get(page_url(order)).content.decode()
    assert "<strong>failed</strong>" in html
    assert 'value="pay"' not in html
    assert client.post(page_url(order), {"action": "pay"}).status_code == 409
    assert SandboxPayment.objects.count() == 1


def test_an_unknown_action_changes_nothing(asha, order):
    assert signed_in(asha).post(page_url(order), {"action": "refund"}).status_code == 400
    assert SandboxPayment.objects.count() == 0


def test_csrf_is_enforced(asha, order, deliveries):
    client = signed_in(asha, enforce_csrf_checks=True)
    assert client.post(page_url(order), {"action": "pay"}).status_code == 403
    assert SandboxPayment.objects.count() == 0
    # with the page's token it goes through
    client.get(page_url(order))
    token = client.cookies["csrftoken"].value
    assert client.post(page_url(order), {"action": "pay", "csrfmiddlewaretoken": token}).status_code == 200
    assert SandboxPayment.objects.get().status == "captured"


def test_the_checkout_url_from_checkout_info_is_this_page(asha, sandbox, order):
    url = sandbox.checkout_info(order).extra["checkout_url"]
    assert signed_in(asha).get(url).status_code == 200


def test_the_auto_submit_script_is_a_static_file():
    from django.contrib.staticfiles import finders

    path = finders.find("js/sandbox.js")
    assert path
    with open(path) as handle:
        assert "data-autosubmit" in handle.read()


def test_under_production_settings_the_page_does_not_exist(asha, order, settings):
    settings.MARQUEE_PRODUCTION = True
    assert signed_in(asha).get(page_url(order)).status_code == 404
    assert signed_in(asha).post(page_url(order), {"action": "pay"}).status_code == 404
    assert SandboxPayment.objects.count() == 0
