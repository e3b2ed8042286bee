"""The fault suite: the box office under a gateway that times out or answers 5xx,
an ESP that refuses, a task worker that dies mid-send, a database connection that drops
inside the finalizer, and webhooks and callbacks in either order.

Razorpay is the real ``RazorpayGateway`` (keys set, so ``get_gateway()`` picks it) with
api.razorpay.com replaced at the transport by ``responses``: ``FakeRazorpay`` below answers
like Razorpay (orders, payments, refunds keyed by ``X-Refund-Idempotency``) until a test tells
it to time out or fail.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import types
from collections import deque
from datetime import timedelta

import pytest
import requests
import responses
from django.db import connection
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from ticketing.payments.signatures import payment_signature

API = "https://api.razorpay.com/v1"
KEY_ID = "rzp_test_faults"
KEY_SECRET = "faults-key-secret"
WEBHOOK_SECRET = "faults-webhook-secret"

postgres_only = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: a second connection ends the first"),
    pytest.mark.postgres,
]


@pytest.fixture(autouse=True)
def tickets_pdf(monkeypatch):
    """The confirmation e-mail attaches the tickets' PDF from ticketing.services.ticket_pdf,
    which lands with the PDF work; until it is on this branch a stand-in returns fixed bytes,
    so the e-mail can be built. With the real module present this fixture does nothing."""
    try:
        import ticketing.services.ticket_pdf  # noqa: F401
    except ModuleNotFoundError:
        stand_in = types.ModuleType("ticketing.services.ticket_pdf")
        stand_in.ensure_tickets_pdf = lambda booking: b"%PDF-1.4 stand-in tickets"
        monkeypatch.setitem(sys.modules, "ticketing.services.ticket_pdf", stand_in)


class Cluster:
    """django-q2's own pusher → worker → monitor path, run in this process on demand.

    With this fixture the app's ``async_task`` calls put tasks in the ORM broker (as production
    does without REDIS_URL) instead of running them at once. ``run()`` takes what the broker
    hands out now, runs each task in django-q2's ``worker`` and passes the result to its
    ``monitor``, which acknowledges a task only when it succeeded. A failed task stays in the
    broker, locked for Q_CLUSTER["retry"] seconds, and is handed out again after that (move
    the clock). A BaseException from a task (the process being killed) leaves the run at once,
    unacknowledged, as a dead worker does."""

    POLL = timedelta(seconds=1)

    def __init__(self, clock):
        self.broker = ORM(list_key=Conf.CLUSTER_NAME)
        self.clock = clock

    def waiting(self) -> list[str]:
        """Names of the tasks in the broker, handed out or not."""
        return [SignedPackage.loads(row.payload)["name"] for row in OrmQ.objects.filter(key=self.broker.list_key)]

    def run(self) -> list[tuple[str, object, bool]]:
        """Run every task the broker hands out now; (name, result, success) for each."""
        from multiprocessing import Queue, Value

        from django_q.monitor import monitor
        from django_q.worker import worker

        self.clock.shift(self.POLL)  # the pusher's next poll (the broker hands out tasks locked before now)
        done = []
        for ack_id, payload in self.broker.dequeue() or []:
            task = SignedPackage.loads(payload)
            task["ack_id"], task["cluster"] = ack_id, Conf.CLUSTER_NAME
            tasks, results = Queue(), Queue()
            tasks.put(task)
            tasks.put("STOP")
            worker(tasks, results, Value("f", -1))
            result = results.get()
            done.append((result["name"], result["result"], result["success"]))
            results.put(result)
            results.put("STOP")
            monitor(results, self.broker)
        return done


@pytest.fixture
def cluster(monkeypatch, clock):
    cluster = Cluster(clock)
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr("django_q.tasks.get_broker", lambda *args, **kwargs: cluster.broker)
    # A worker process closes stale connections before each task; here the "worker" shares the
    # test's connection (inside the test's transaction), which must stay open.
    monkeypatch.setattr("django_q.worker.close_old_django_connections", lambda: None)
    monkeypatch.setattr("django_q.monitor.close_old_django_connections", lambda: None)
    monkeypatch.setattr("django_q.brokers.orm.sleep", lambda seconds: None)  # an empty poll returns at once
    return cluster


class FakeRazorpay:
    """api.razorpay.com as `responses` callbacks. ``fail(path_part, *faults)`` makes the next
    requests whose URL contains `path_part` fail in turn ("timeout", "reset", or an HTTP status);
    a fault "after:timeout" does the work and then loses the answer (the request timed out on
    our side after Razorpay acted on it)."""

    def __init__(self, mock: responses.RequestsMock):
        self.mock = mock
        self.orders: dict[str, dict] = {}
        self.payments: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}  # by idempotency key: Razorpay answers a key once
        self.faults: list[tuple[str, deque]] = []
        self.on_wait = None  # called with a timed-out request's timeout, to account for the wait
        self._ids = itertools.count(1)
        mock.add_callback(responses.POST, f"{API}/orders", callback=self._create_order)
        mock.add_callback(responses.GET, re.compile(rf"{API}/payments/[^/]+$"), callback=self._fetch)
        mock.add_callback(responses.GET, re.compile(rf"{API}/orders/[^/]+/payments$"), callback=self._order_payments)
        mock.add_callback(responses.POST, re.compile(rf"{API}/payments/[^/]+/refund$"), callback=self._refund)

    # --- what a test controls -------------------------------------------------------------------
    def fail(self, path_part: str, *faults) -> None:
        self.faults.append((path_part, deque(faults)))

    def pay(self, order_id: str, *, status: str = "captured") -> dict:
        """The customer completes Razorpay Checkout for this order."""
        order = self.orders[order_id]
        payment = {
            "id": f"pay_Faults{next(self._ids):08d}",
            "entity": "payment",
            "amount": order["amount"],
            "currency": "INR",
            "status": status,
            "order_id": order_id,
            "method": "upi",
            "captured": status == "captured",
            "error_description": None if status == "captured" else "Payment was declined by the bank.",
        }
        self.payments[payment["id"]] = payment
        order["status"] = "paid" if status == "captured" else "attempted"
        return payment

    def callback_fields(self, order_id: str, payment_id: str) -> dict:
        """What Razorpay Checkout posts to the callback URL after a payment."""
        return {
            "razorpay_order_id": order_id,
            "razorpay_payment_id": payment_id,
            "razorpay_signature": payment_signature(order_id, payment_id, KEY_SECRET),
        }

    def calls_to(self, method: str, path_part: str) -> list:
        return [call for call in self.mock.calls if call.request.method == method and path_part in call.request.url]

    # --- the endpoints ----------------------------------------------------------------------------
    def _fault(self, request):
        for path_part, queue in self.faults:
            if path_part in request.url and queue:
                return queue.popleft()
        return None

    def _answer(self, request, work):
        fault = self._fault(request)
        if fault in ("timeout", "after:timeout") and self.on_wait is not None:
            self.on_wait(request.req_kwargs["timeout"])
        if fault == "timeout":
            return (0, {}, requests.exceptions.ReadTimeout("Razorpay did not answer in time"))
        if fault == "reset":
            return (0, {}, requests.exceptions.ConnectionError("Connection reset by peer"))
        if isinstance(fault, int):
            error = {"error": {"code": "SERVER_ERROR", "description": "We are facing some trouble at the moment."}}
            return (fault, {}, json.dumps(error))
        status, body = work(request)
        if fault == "after:timeout":  # Razorpay did it; the answer never reached us
            return (0, {}, requests.exceptions.ReadTimeout("Razorpay did not answer in time"))
        return (status, {"Content-Type": "application/json"}, json.dumps(body))

    def _create_order(self, request):
        def work(request):
            data = json.loads(request.body)
            order_id = f"order_Faults{next(self._ids):08d}"
            order = {
                "id": order_id,
                "entity": "order",
                "amount": data["amount"],
                "amount_paid": 0,
                "amount_due": data["amount"],
                "currency": data.get("currency", "INR"),
                "receipt": data.get("receipt"),
                "status": "created",
                "attempts": 0,
                "notes": data.get("notes", {}),
                "created_at": 1795000000,
            }
            self.orders[order_id] = order
            return 200, order

        return self._answer(request, work)

    def _fetch(self, request):
        def work(request):
            payment = self.payments.get(request.url.rsplit("/", 1)[1])
            if payment is None:
                return 400, {"error": {"code": "BAD_REQUEST_ERROR", "description": "The id provided does not exist"}}
            return 200, payment

        return self._answer(request, work)

    def _order_payments(self, request):
        def work(request):
            order_id = request.url.split("/orders/", 1)[1].split("/", 1)[0]
            items = [p for p in self.payments.values() if p["order_id"] == order_id]
            return 200, {"entity": "collection", "count": len(items), "items": items}

        return self._answer(request, work)

    def _refund(self, request):
        def work(request):
            payment_id = request.url.split("/payments/", 1)[1].split("/", 1)[0]
            key = request.headers.get("X-Refund-Idempotency", "")
            data = json.loads(request.body)
            if key not in self.refunds:
                self.refunds[key] = {
                    "id": f"rfnd_Faults{next(self._ids):08d}",
                    "entity": "refund",
                    "amount": data["amount"],
                    "payment_id": payment_id,
                    "currency": "INR",
                    "status": "processed",
                    "notes": data.get("notes", {}),
                }
            return 200, self.refunds[key]

        return self._answer(request, work)


@pytest.fixture
def slept(monkeypatch):
    """The gateway's backoff pauses, recorded instead of slept."""
    pauses = []
    monkeypatch.setattr("ticketing.payments.razorpay_gateway.sleep", pauses.append)
    return pauses


@pytest.fixture
def razorpay(settings, slept):
    """Razorpay keys set (so every get_gateway() is the real RazorpayGateway), two retries
    after the first try, and api.razorpay.com answered by FakeRazorpay."""
    settings.RAZORPAY_KEY_ID = KEY_ID
    settings.RAZORPAY_KEY_SECRET = KEY_SECRET
    settings.RAZORPAY_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.MARQUEE_GATEWAY_RETRIES = 2
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeRazorpay(mock)
