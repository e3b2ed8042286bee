"""Benchmark: the seat-map page as a customer sees it. The app runs under gunicorn on
PostgreSQL; N clients at once (default 32), each signed in as its own customer, GET a
250-seat show's page (the Wagtail ShowPage: the seat map with live seat states, prices, the
customer's header) for a fixed number of requests. Beside it, in the same run and the same
gunicorn: a trivial Django view (returns a short text, no database). Prints requests/s and
p50/p99 for both, and one client at a time. The page is cached per show and version
(home/page_cache.py), so the run measures cache hits; beside them, in this process, the
uncached render (the first request after a seat change) and its query count. With REDIS_URL
set the workers share one cache (as in production); without it each worker keeps its own.

    .venv/bin/python bench/seat_map.py [--clients 32] [--requests 2000] [--workers 5] [--threads 4] [--misses 50]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/marquee_bench (created and
migrated when missing). The trivial view lives in a URLconf this script writes to a temporary
directory, never in the app's urls.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from harness import (  # bench/harness.py (this folder is on the path)
    ROOT,
    Connection,
    ensure_database,
    free_port,
    ms,
    percentile,
    setup_customers,
    setup_show,
    start_gunicorn,
    stop_gunicorn,
    summary,
)

TMP = Path(tempfile.mkdtemp(prefix="seatmap-bench-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
(TMP / "seatmap_bench_settings.py").write_text(
    textwrap.dedent(
        """
        # Written by bench/seat_map.py: the app's base settings plus the trivial reference view.
        from config.settings.base import *  # noqa: F403

        DEBUG = False
        ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
        ROOT_URLCONF = "seatmap_bench_urls"
        """
    )
)
(TMP / "seatmap_bench_urls.py").write_text(
    textwrap.dedent(
        """
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
os.environ["DJANGO_SETTINGS_MODULE"] = "seatmap_bench_settings"
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marquee_bench")
os.environ.setdefault("LOG_LEVEL", "WARNING")
ensure_database(os.environ["DATABASE_URL"], "seat map")

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402


async def hammer(port, path, customers, total, concurrency) -> tuple[float, list[float], dict]:
    latencies, statuses, queue = [], {}, list(range(total))

    async def client(conn, headers):
        while queue:
            queue.pop()
            started = time.perf_counter()
            status, _, _ = await conn.request("GET", path, headers)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(
        *(client(Connection("127.0.0.1", port), customers[i % len(customers)].headers) for i in range(concurrency))
    )
    return time.perf_counter() - started, latencies, statuses


def report(label, result) -> dict:
    elapsed, latencies, statuses = result
    rps, p99 = len(latencies) / elapsed, percentile(latencies, 99)
    print(
        f"{label:<28} {rps:8,.0f} req/s · p50 {ms(statistics.median(latencies))} · "
        f"p99 {ms(p99)} · statuses {dict(sorted(statuses.items()))}"
    )
    return {"rps": rps, "p99_ms": p99 * 1000, "errors": sum(n for status, n in statuses.items() if status != 200)}


def uncached(show, user, rounds: int) -> tuple[list[float], int, int]:
    """In this process: the page right after a seat change (the route still known) and right
    after a publish (nothing known). Returns the first's latencies and both query counts."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.versions import bump_content, bump_seats

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get(show.url)
    latencies = []
    for _ in range(rounds):
        bump_seats(show.pk)  # autocommit: at once
        started = time.perf_counter()
        response = client.get(show.url)
        latencies.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as after_seats:
        bump_seats(show.pk)
        client.get(show.url)
    with CaptureQueriesContext(connection) as after_publish:
        bump_content()
        client.get(show.url)
    return latencies, len(after_seats), len(after_publish)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--misses", type=int, default=50, help="uncached renders measured in-process")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    stamp = str(int(time.time()))
    show = setup_show(stamp, "Seat Map Bench")
    customers = setup_customers(args.clients, "seatmap")
    page = show.url
    port = free_port()
    server = start_gunicorn(port, args.workers, args.threads, TMP / "gunicorn.log", TMP)
    try:
        asyncio.run(hammer(port, page, customers, 100, args.clients))  # warm every worker
        asyncio.run(hammer(port, "/bench/trivial", customers, 100, args.clients))
        shared = "one shared Redis cache" if settings.REDIS_CACHE_URL else "each worker its own local-memory cache"
        print(f"seat-map page {page} (250 seats), gunicorn {args.workers} × {args.threads} gthread, {args.clients} clients:")
        print(f"cache: {shared}; nothing changes during the run, so after the warm-up every page request is a hit")
        seat_map = report("seat-map page (cache hits)", asyncio.run(hammer(port, page, customers, args.requests, args.clients)))
        trivial = report(
            "trivial Django view", asyncio.run(hammer(port, "/bench/trivial", customers, args.requests * 2, args.clients))
        )
        report("seat-map page, 1 client", asyncio.run(hammer(port, page, customers, 200, 1)))
        report("trivial view, 1 client", asyncio.run(hammer(port, "/bench/trivial", customers, 400, 1)))
    finally:
        stop_gunicorn(server)
    latencies, seat_queries, publish_queries = uncached(show, customers_users(customers), args.misses)
    print(
        f"{'uncached render, in-process':<28} p50 {ms(statistics.median(latencies))} · p99 {ms(percentile(latencies, 99))} "
        f"({len(latencies)} renders, each right after a seat change) · {seat_queries} queries; "
        f"after a publish {publish_queries} queries"
    )
    ratio = seat_map["rps"] / trivial["rps"]
    print(f"seat-map page at {ratio:.3f}× the trivial view's requests/s")
    summary(
        "seat_map",
        ratio=ratio,
        rps=seat_map["rps"],
        reference_rps=trivial["rps"],
        p99_ms=seat_map["p99_ms"],
        errors=seat_map["errors"] + trivial["errors"],
        queries=seat_queries,
        queries_after_publish=publish_queries,
        uncached_p50_ms=statistics.median(latencies) * 1000,
    )


def customers_users(customers):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=customers[0].email)


if __name__ == "__main__":
    main()
