"""Benchmark: the seat-map page as a customer sees it. The app runs under gunicorn on
PostgreSQL; N clients at once (default 32), each signed in as its own customer, GET a
250-seat show's page (the Wagtail ShowPage: the seat map with live seat states, prices, the
customer's header) for a fixed number of requests. Beside it, in the same run and the same
gunicorn: a trivial Django view (returns a short text, no database). Prints requests/s and
p50/p99 for both, and one client at a time.

    .venv/bin/python bench/seat_map.py [--clients 32] [--requests 2000] [--workers 5] [--threads 4]

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


def report(label, result):
    elapsed, latencies, statuses = result
    print(
        f"{label:<28} {len(latencies) / elapsed:8,.0f} req/s · p50 {ms(statistics.median(latencies))} · "
        f"p99 {ms(percentile(latencies, 99))} · statuses {dict(sorted(statuses.items()))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=4)
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
        print(f"seat-map page {page} (250 seats), gunicorn {args.workers} × {args.threads} gthread, {args.clients} clients:")
        report("seat-map page", asyncio.run(hammer(port, page, customers, args.requests, args.clients)))
        report("trivial Django view", asyncio.run(hammer(port, "/bench/trivial", customers, args.requests * 2, args.clients)))
        report("seat-map page, 1 client", asyncio.run(hammer(port, page, customers, 200, 1)))
        report("trivial view, 1 client", asyncio.run(hammer(port, "/bench/trivial", customers, 400, 1)))
    finally:
        stop_gunicorn(server)


if __name__ == "__main__":
    main()
