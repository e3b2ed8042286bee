"""Benchmark: checkout end to end. The app runs under gunicorn on PostgreSQL; N customers at
once (default 32) buy seats of one 250-seat show until it is sold out. Each customer: holds
1–2 random free seats (POST /api/shows/{id}/holds; a 409 makes them pick others), starts the
payment (POST /api/bookings/{reference}/pay, no wallet: a sandbox gateway order), pays at the
"gateway" (SandboxGateway().pay in this process, in a thread so the event loop keeps going),
and posts Razorpay's three signed fields to /payments/razorpay/callback/, which runs the
finalizer and answers 302 to /bookings/<reference>/. When a customer's booking is confirmed
the next customer from the queue takes their place. Prints confirmed bookings/s over the whole
run, p50/p99 of the pay and callback requests, a database check (seats sold, confirmed
bookings, seats in two confirmed bookings — must be 0 —, paid payments) and the callback
latency one customer at a time (50 bookings in a row on a second show). Every worker's checkout
path is warmed first on a third show, and a trivial Django view (no database) is measured
after the rush under the same gunicorn and clients: the host's speed in this run
(`reference_rps`), so runs on hosts of different speeds can be read side by side.

    .venv/bin/python bench/checkout.py [--customers 32]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/marquee_bench (created and
migrated when missing). The hold rate limit is off (MARQUEE_HOLD_RATE=0). No Razorpay keys
may be set: the sandbox gateway is the one benchmarked. Exits non-zero when a seat is sold
twice or a step answers anything unexpected.

What is and is not measured. django-q2's cluster does not run: each confirmation queues its
e-mail (one INSERT into the ORM broker's queue, after the commit, inside the callback request,
so that is counted), but rendering and sending the e-mail and the PDF are asynchronous work
outside the confirmation path, and running them here would only take CPU from the requests.
Make sure no `manage.py qcluster` runs against the same database. The client is not free:
the asyncio connections and the sandbox's "customer pays" step (Django ORM, 5 statements, in
this process's threads) share the same 2 cores as gunicorn and PostgreSQL; the CPU the bench
process and gunicorn used is printed, so a run where the client is the bottleneck shows.
Statement counts and per-request timings without any of this noise: bench/checkout_requests.py.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import textwrap
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from harness import (  # bench/harness.py (this folder is on the path)
    ROOT,
    ROWS,
    SEATS_PER_ROW,
    Connection,
    Customer,
    ensure_database,
    free_port,
    pay_at_gateway,
    refuse_live_gateway,
    setup_customers,
    setup_show,
    spread,
    start_gunicorn,
    stop_gunicorn,
    summary,
)

TMP = Path(tempfile.mkdtemp(prefix="checkout-bench-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
SETTINGS_MODULE = "checkout_bench_settings"
ALONE_BOOKINGS = 50
WARM_BOOKINGS = 64  # before anything is measured, spread over every worker
TRIVIAL_REQUESTS = 2000

(TMP / f"{SETTINGS_MODULE}.py").write_text(
    textwrap.dedent(
        """
        # Written by bench/checkout.py: the app's base settings, DEBUG and the hold rate limit off.
        from config.settings.base import *  # noqa: F403

        DEBUG = False
        ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
        MARQUEE_HOLD_RATE = 0
        ROOT_URLCONF = "checkout_bench_urls"
        """
    )
)
(TMP / "checkout_bench_urls.py").write_text(
    textwrap.dedent(
        """
        # Written by bench/checkout.py: a trivial view (no database), the host's speed in this run.
        from django.http import HttpResponse
        from django.urls import path

        from config.urls import urlpatterns as app_urlpatterns


        def trivial(request):
            return HttpResponse(b"ok", content_type="text/plain")


        urlpatterns = [path("bench/trivial", trivial)] + app_urlpatterns
        """
    )
)

sys.path[:0] = [str(TMP), str(ROOT)]
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marquee_bench")
os.environ["MARQUEE_HOLD_RATE"] = "0"
os.environ.setdefault("LOG_LEVEL", "WARNING")
refuse_live_gateway()


ensure_database(os.environ["DATABASE_URL"], "checkout")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

# --- the show and its customers --------------------------------------------------------------


# --- a small keep-alive HTTP/1.1 client (asyncio streams) ------------------------------------


# --- the checkout run ------------------------------------------------------------------------


class Unexpected(Exception):
    """A step answered something a working checkout never answers: reported, the run stops."""


@dataclass
class Run:
    free: set[str]
    queue: list[Customer]
    limit: int  # stop after this many confirmed bookings
    hold: list[float] = field(default_factory=list)
    pay: list[float] = field(default_factory=list)
    gateway: list[float] = field(default_factory=list)
    callback: list[float] = field(default_factory=list)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    confirmed: list[dict] = field(default_factory=list)
    failure: str = ""
    started: float = 0.0
    elapsed: float = 0.0

    def count(self, step: str, status: int) -> None:
        counts = self.statuses.setdefault(step, {})
        counts[status] = counts.get(status, 0) + 1

    @property
    def going(self) -> bool:
        return bool(self.free) and len(self.confirmed) < self.limit and not self.failure


async def timed(run: Run, step: str, latencies: list[float], conn: Connection, *args, **kwargs):
    began = time.perf_counter()
    status, payload, location = await conn.request(*args, **kwargs)
    latencies.append(time.perf_counter() - began)
    run.count(step, status)
    return status, payload, location


async def customer_worker(run: Run, conn: Connection, show_id: int, rng: random.Random, executor) -> None:
    loop = asyncio.get_running_loop()
    while run.queue and run.going:
        customer = run.queue.pop()
        booking = None
        while run.going:  # (1) hold 1–2 free seats; a 409 means pick others
            seats = rng.sample(sorted(run.free), min(rng.randint(1, 2), len(run.free)))
            body = json.dumps({"seats": seats}).encode()
            status, payload, _ = await timed(
                run, "hold", run.hold, conn, "POST", f"/api/shows/{show_id}/holds", customer.headers, body
            )
            if status == 201:
                booking = json.loads(payload)
                run.free.difference_update(booking["seats"])
                break
            if status == 409:
                run.free.difference_update(json.loads(payload).get("unavailable", []) or seats)
                continue
            raise Unexpected(f"hold answered {status}: {payload[:300]!r}")
        if booking is None:
            return
        reference = booking["reference"]

        # (2) start the payment: a sandbox gateway order
        body = json.dumps({"use_wallet": False}).encode()
        status, payload, _ = await timed(
            run, "pay", run.pay, conn, "POST", f"/api/bookings/{reference}/pay", customer.headers, body
        )
        if status != 200:
            raise Unexpected(f"pay for {reference} answered {status}: {payload[:300]!r}")
        order_id = json.loads(payload).get("order_id")
        if not order_id:
            raise Unexpected(f"pay for {reference} answered without an order_id: {payload[:300]!r}")

        # (3) the customer pays at the gateway (the sandbox's tables, in this process)
        began = time.perf_counter()
        payment_id, signature = await loop.run_in_executor(executor, pay_at_gateway, order_id)
        run.gateway.append(time.perf_counter() - began)

        # (4) Checkout posts the signed fields back: the finalizer runs in this request
        form = urllib.parse.urlencode(
            {"razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature}
        ).encode()
        status, payload, location = await timed(
            run,
            "callback",
            run.callback,
            conn,
            "POST",
            "/payments/razorpay/callback/",
            customer.headers,
            form,
            content_type="application/x-www-form-urlencoded",
        )
        if status != 302 or urllib.parse.urlsplit(location).path != f"/bookings/{reference}/":
            raise Unexpected(f"callback for {reference} answered {status} (Location {location!r}): {payload[:300]!r}")
        run.confirmed.append({"reference": reference, "seats": booking["seats"]})


async def run_checkout(host, port, show_id, customers, concurrency, seed, limit, executor) -> Run:
    labels = {f"{r}{n}" for r in ROWS for n in range(1, SEATS_PER_ROW + 1)}
    run = Run(free=labels, queue=list(reversed(customers)), limit=limit)
    connections = [Connection(host, port) for _ in range(concurrency)]

    async def guarded(conn, rng):
        try:
            await customer_worker(run, conn, show_id, rng, executor)
        except Unexpected as error:
            run.failure = run.failure or str(error)
        finally:
            conn.close()

    run.started = time.perf_counter()
    await asyncio.gather(*(guarded(conn, random.Random(seed + n)) for n, conn in enumerate(connections)))
    run.elapsed = time.perf_counter() - run.started
    return run


async def warm(host, port, path, headers, total, concurrency) -> float:
    """``total`` GETs over ``concurrency`` keep-alive connections; returns requests/s."""
    remaining = [total]

    async def worker(conn):
        while remaining[0] > 0:
            remaining[0] -= 1
            await conn.request("GET", path, headers)
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(Connection(host, port)) for _ in range(concurrency)))
    return total / (time.perf_counter() - started)


# --- gunicorn --------------------------------------------------------------------------------


# --- checks and figures ----------------------------------------------------------------------


def database_check(show_id: int) -> dict[str, int]:
    """Counted by PostgreSQL itself, not from what the clients were told."""
    from ticketing.models import Booking, Payment, ShowSeat

    seats, bookings, payments = ShowSeat._meta.db_table, Booking._meta.db_table, Payment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*) FROM (
                SELECT label FROM {bookings} b, jsonb_array_elements_text(b.seats) AS label
                WHERE b.show_id = %s AND b.state = 'confirmed' GROUP BY label HAVING count(*) > 1
            ) AS doubled
            """,
            [show_id],
        )
        in_two = cursor.fetchone()[0]
        cursor.execute(
            f"""
            SELECT
              count(*) FILTER (WHERE s.state = 'sold'),
              count(*) FILTER (WHERE s.state = 'held'),
              count(*) FILTER (WHERE s.state = 'available'),
              count(*) FILTER (WHERE s.state = 'sold' AND (b.id IS NULL OR b.state <> 'confirmed' OR NOT b.seats ? s.label))
            FROM {seats} s LEFT JOIN {bookings} b ON b.id = s.booking_id
            WHERE s.show_id = %s
            """,
            [show_id],
        )
        sold, held, available, mismatched = cursor.fetchone()
        cursor.execute(
            f"""
            SELECT
              count(*) FILTER (WHERE b.state = 'confirmed'),
              coalesce(sum(jsonb_array_length(b.seats)) FILTER (WHERE b.state = 'confirmed'), 0),
              count(*) FILTER (WHERE b.state NOT IN ('confirmed', 'held'))
            FROM {bookings} b WHERE b.show_id = %s
            """,
            [show_id],
        )
        confirmed, confirmed_seats, other = cursor.fetchone()
        cursor.execute(
            f"SELECT count(*) FROM {payments} p JOIN {bookings} b ON b.id = p.booking_id WHERE b.show_id = %s AND p.status = 'paid'",
            [show_id],
        )
        paid = cursor.fetchone()[0]
    return {
        "sold": sold,
        "held": held,
        "available": available,
        "mismatched": mismatched,
        "confirmed": confirmed,
        "confirmed_seats": confirmed_seats,
        "other": other,
        "in_two": in_two,
        "paid": paid,
    }


def cpu_seconds(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def gunicorn_cpu(master: int) -> float:
    """CPU seconds (user + system) of gunicorn's master and workers so far, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [master]
    with contextlib.suppress(OSError):
        pids += [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def statements_per_booking(stamp: str) -> dict[str, int]:
    """Statements of each request of a booking, on a show of its own (bench/statement_counts.py)."""
    from statement_counts import signed_in_clients, statements_per_step

    counted = setup_show(f"{stamp}-count", "Checkout Bench")
    clients = signed_in_clients([c.email for c in setup_customers(4, "checkout-count")])
    labels = [f"{r}{n}" for r in "ABCDEFGHIJ" for n in range(1, 26)]
    per_step = statements_per_step(counted.pk, clients, labels)
    connection.close()
    return per_step


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=32, help="customers at once (default 32)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    total_seats = len(ROWS) * SEATS_PER_ROW

    call_command("migrate", verbosity=0)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    prepared = time.perf_counter()
    show = setup_show(stamp, "Checkout Bench")
    alone_show = setup_show(f"{stamp}-alone", "Checkout Bench")
    warm_show = setup_show(f"{stamp}-warm", "Checkout Bench")
    pool = setup_customers(total_seats + args.customers, "checkout")  # enough if every booking is one seat
    prepared = time.perf_counter() - prepared
    per_step = statements_per_booking(stamp)
    connection.close()

    load = os.getloadavg()[0]  # other work on the machine skews every figure below
    port = free_port()
    log = TMP / "gunicorn.log"
    server = start_gunicorn(port, args.workers, args.threads, log, TMP)
    host = "127.0.0.1"
    executor = ThreadPoolExecutor(max_workers=args.customers, thread_name_prefix="gateway")
    try:
        # Warm every worker (imports, URLconf, connections) and every worker's checkout path (a
        # worker's first hold, pay and callback build plans and clients) on a third show; not counted.
        asyncio.run(warm(host, port, f"/api/shows/{show.pk}/seats", pool[0].headers, 200, args.customers))
        asyncio.run(run_checkout(host, port, warm_show.pk, pool, args.customers, args.seed + 1, WARM_BOOKINGS, executor))

        # One customer at a time on a second show: the finalizer without any queueing.
        alone = asyncio.run(run_checkout(host, port, alone_show.pk, pool, 1, args.seed, ALONE_BOOKINGS, executor))
        rush = None
        if not alone.failure:
            server_cpu = gunicorn_cpu(server.pid)
            client_cpu = resource.getrusage(resource.RUSAGE_SELF)
            rush = asyncio.run(run_checkout(host, port, show.pk, pool, args.customers, args.seed, total_seats, executor))
            client_cpu = cpu_seconds(resource.getrusage(resource.RUSAGE_SELF)) - cpu_seconds(client_cpu)
            server_cpu = gunicorn_cpu(server.pid) - server_cpu
        # The host's speed in this run: a trivial view under the same gunicorn and clients.
        reference_rps = asyncio.run(warm(host, port, "/bench/trivial", pool[0].headers, TRIVIAL_REQUESTS, args.customers))
    finally:
        stop_gunicorn(server)
        executor.shutdown()

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    print(f"database            PostgreSQL {version} · {os.cpu_count()} CPUs · load average before the run {load:.2f}")
    print(
        f"server              gunicorn {args.workers} workers × {args.threads} threads (gthread), DEBUG off, rate limit off,"
        " sandbox gateway; clients: asyncio keep-alive connections in this process"
    )
    print(f"setup               {prepared:.1f} s (2 shows, {len(pool)} verified customers with sessions)")
    failed = False
    for name, run, show_id in (("one at a time", alone, alone_show.pk), (f"{args.customers} at once", rush, show.pk)):
        if run is None:
            continue
        check = database_check(show_id)
        rate = len(run.confirmed) / run.elapsed if run.elapsed else 0.0
        seats = sum(len(b["seats"]) for b in run.confirmed)
        print(f"--- {name} (show {show_id})")
        print(
            f"confirmed           {len(run.confirmed)} bookings ({seats} seats) in {run.elapsed:.2f} s → {rate:,.1f} bookings/s"
        )
        print(f"hold                {spread(run.hold)}")
        print(f"pay                 {spread(run.pay)}")
        print(f"gateway (in bench)  {spread(run.gateway)}")
        print(f"callback            {spread(run.callback)}")
        print(f"statuses            { ({step: dict(sorted(c.items())) for step, c in run.statuses.items()}) }")
        print(
            f"database check      seats sold {check['sold']}/{total_seats} (held {check['held']}, available"
            f" {check['available']}); confirmed bookings {check['confirmed']} holding {check['confirmed_seats']} seats;"
            f" seats in two confirmed bookings {check['in_two']}; sold seats not in their confirmed booking"
            f" {check['mismatched']}; payments paid {check['paid']} vs confirmed {check['confirmed']}"
            f" ({'equal' if check['paid'] == check['confirmed'] else 'DIFFERENT'}); bookings neither held nor confirmed"
            f" {check['other']}"
        )
        if run is rush and run.elapsed:
            print(
                f"CPU during the rush client (this process) {client_cpu:.2f} s = {client_cpu / run.elapsed:.0%} of one core;"
                f" gunicorn {server_cpu:.2f} s = {server_cpu / run.elapsed:.0%}; of {os.cpu_count()} cores"
                f" (the rest: PostgreSQL and other work on the machine)"
            )
        if run.failure:
            print(f"FAILURE             {run.failure}")
        if check["in_two"] or check["mismatched"] or check["sold"] != check["confirmed_seats"]:
            print("FAILED: a seat was sold twice")
            failed = True
        if run.failure or check["paid"] != check["confirmed"]:
            failed = True
    if rush is not None and not rush.failure and rush.free:
        failed = True
        print(f"FAILED: the show did not sell out ({len(rush.free)} seats never sold)")
    per_booking = sum(per_step.values())
    print(f"statements          {per_booking} per booking ({per_step}; Django test Client, same settings)")
    print(
        f"trivial Django view {reference_rps:,.0f} req/s (same gunicorn, {args.customers} clients): the host's speed in this run"
    )
    rush_check = database_check(show.pk)
    summary(
        "checkout",
        confirmed_per_s=len(rush.confirmed) / rush.elapsed if rush and rush.elapsed else 0.0,
        one_at_a_time_per_s=len(alone.confirmed) / alone.elapsed if alone.elapsed else 0.0,
        reference_rps=reference_rps,
        statements_per_booking=per_booking,
        double_sold=rush_check["in_two"] + rush_check["mismatched"],
        payments_match=rush_check["paid"] == rush_check["confirmed"],
        errors=sum(
            count
            for run in (alone, rush)
            if run is not None
            for step, counts in run.statuses.items()
            for status, count in counts.items()
            if status not in (200, 201, 302, 409)
        ),
    )
    if failed:
        sys.exit(f"FAILED; gunicorn log (last lines):\n{log.read_text()[-3000:]}" if log.exists() else "FAILED")


if __name__ == "__main__":
    main()
