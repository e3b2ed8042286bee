"""One booking's SQL statements, request by request (hold, pay, the sandbox's pay, callback).

Shared by the checkout benches: each counts the statements of a few bookings on a show of its
own, in its own process, through Django's test Client and the full middleware stack — the same
code gunicorn runs, so the figures are the ones a request sends (statement counts do not
depend on load). The first booking warms the caches and is not counted.
"""

from __future__ import annotations

import statistics
import time

STEPS = ("hold", "pay", "gateway", "callback")


def one_booking(client, show_id: int, seats: list[str], record: dict, profile=None, profiler=None) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ticketing.payments.sandbox import SandboxGateway

    def step(name, call):
        with CaptureQueriesContext(connection) as queries:
            if profile == name:
                profiler.enable()
            began, cpu_began = time.perf_counter(), time.process_time()
            response = call()
            elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu_began
            if profile == name:
                profiler.disable()
        record.setdefault(name, []).append((elapsed, [q["sql"] for q in queries.captured_queries], cpu))
        return response

    response = step("hold", lambda: client.post(f"/api/shows/{show_id}/holds", {"seats": seats}, content_type="application/json"))
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    response = step(
        "pay", lambda: client.post(f"/api/bookings/{reference}/pay", {"use_wallet": False}, content_type="application/json")
    )
    assert response.status_code == 200, response.content
    order_id = response.json()["order_id"]
    gateway = SandboxGateway()
    payment = step("gateway", lambda: gateway.pay(order_id))
    signature = gateway.sign_payment(order_id, payment.payment_id)
    form = {"razorpay_order_id": order_id, "razorpay_payment_id": payment.payment_id, "razorpay_signature": signature}
    response = step("callback", lambda: client.post("/payments/razorpay/callback/", form))
    assert response.status_code == 302 and response["Location"] == f"/bookings/{reference}/", response


def signed_in_clients(emails: list[str], host: str = "127.0.0.1"):
    from django.contrib.auth import get_user_model
    from django.test import Client

    clients = []
    for user in get_user_model().objects.filter(username__in=emails).order_by("pk"):
        client = Client(HTTP_HOST=host)
        client.force_login(user)
        # as a customer who opened a page: its session.js asked who is signed in, which read
        # (and cached, core/auth_copy.py) their user row
        assert client.get("/api/session").status_code == 200
        clients.append(client)
    return clients


def statements_per_step(show_id: int, clients, labels: list[str]) -> dict[str, int]:
    """Median statements of each step over the bookings after the first (which warms up)."""
    record: dict = {}
    one_booking(clients[0], show_id, [labels.pop()], {})
    for client in clients[1:]:
        one_booking(client, show_id, [labels.pop(), labels.pop()], record)
    return {name: int(statistics.median(len(run[1]) for run in record[name])) for name in STEPS}
