"""Benchmark: a hold storm. The app runs under gunicorn on PostgreSQL; N customers at once
(default 32) grab random free seats of one 250-seat show, 1–4 seats per attempt, through
POST /api/shows/{id}/holds, until the show is fully held. A customer whose hold succeeds
keeps it and the next customer from the queue takes their place; a customer refused (409)
tries other seats. Prints attempts/s, p50/p99 latency, time to full, wins, conflicts and a
database check for double-held seats (must be 0), next to a bare reference measured in the
same run under the same gunicorn: a trivial Django view doing one INSERT, timed in slices
between the storms (since run L; before, in one go after them).

Every connection, the storm's and the reference's, is open before its clock starts: a customer
holds from a page they opened over a keep-alive connection, and a one-second storm that also
times 32 TCP handshakes and gunicorn's accepting them measured those as much as the holds. One
storm lasts about a second, so ``--storms`` shows (default 5) are filled one after another and
the figures are over all of them. For comparison with runs A–G, which timed one storm with its
handshakes, as many other shows are filled that way too, each right after its warm twin ("cold
connections", `cold_ratio` in the JSON line).

    .venv/bin/python bench/hold_storm.py [--customers 32] [--storms 5] [--workers 5] [--threads 4] [--bare 2000]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/marquee_bench (created and
migrated when missing). The hold rate limit is off (MARQUEE_HOLD_RATE=0). The bare view lives
in a URLconf this script writes to a temporary directory, never in the app's urls.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field

from harness import (  # bench/harness.py (this folder is on the path)
    PING_TABLE,
    ROWS,
    SEATS_PER_ROW,
    Connection,
    Customer,
    bare_insert_app,
    create_ping_table,
    free_port,
    ms,
    percentile,
    setup_customers,
    setup_show,
    start_gunicorn,
    stop_gunicorn,
    summary,
)

BARE_MINIMUM = 2000  # reference requests in all (the default of --bare)
TMP = bare_insert_app("hold_storm")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

# --- the show and its customers --------------------------------------------------------------


# --- a small keep-alive HTTP/1.1 client (asyncio streams) ------------------------------------


@dataclass
class Storm:
    free: set[str]
    queue: list[Customer]
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    wins: list[dict] = field(default_factory=list)
    full_at: float | None = None
    started: float = 0.0
    elapsed: float = 0.0


async def customer_worker(storm: Storm, conn: Connection, path: str, rng: random.Random):
    while storm.queue and storm.free:
        customer = storm.queue.pop()
        while storm.free:
            seats = rng.sample(sorted(storm.free), min(rng.randint(1, 4), len(storm.free)))
            body = json.dumps({"seats": seats}).encode()
            began = time.perf_counter()
            status, payload, _ = await conn.request("POST", path, customer.headers, body)
            storm.latencies.append(time.perf_counter() - began)
            storm.statuses[status] = storm.statuses.get(status, 0) + 1
            if status == 201:
                won = json.loads(payload)
                storm.wins.append(won)
                storm.free.difference_update(won["seats"])
                if not storm.free and storm.full_at is None:
                    storm.full_at = time.perf_counter() - storm.started
                break  # this customer keeps their seats; the next one steps up
            if status == 409:
                storm.free.difference_update(json.loads(payload).get("unavailable", []))
            else:
                raise SystemExit(f"unexpected {status} from the hold endpoint: {payload[:300]!r}")


def combined(storms: list[Storm]) -> Storm:
    """Several storms read as one: their attempts and their time added up."""
    total = Storm(free=set(), queue=[])
    for one in storms:
        total.latencies += one.latencies
        total.wins += one.wins
        total.elapsed += one.elapsed
        for status, count in one.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + count
    return total


async def run_storm(host, port, show_id, customers, concurrency, seed, connected: bool = True) -> Storm:
    """``connected``: every connection is open before the clock starts, as a customer's is from
    the page they hold on; otherwise each opens at its first request, inside the storm."""
    labels = {f"{r}{n}" for r in ROWS for n in range(1, SEATS_PER_ROW + 1)}
    storm = Storm(free=labels, queue=list(reversed(customers)))
    connections = [Connection(host, port) for _ in range(concurrency)]
    if connected:
        await asyncio.gather(*(conn.open() for conn in connections))
    storm.started = time.perf_counter()
    path = f"/api/shows/{show_id}/holds"
    await asyncio.gather(*(customer_worker(storm, conn, path, random.Random(seed + n)) for n, conn in enumerate(connections)))
    storm.elapsed = time.perf_counter() - storm.started
    for conn in connections:
        conn.close()
    return storm


async def run_requests(host, port, method, path, headers, total, concurrency, body=b"") -> tuple[float, list[float], dict]:
    """``total`` requests spread over ``concurrency`` keep-alive connections, opened before the clock starts."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    remaining = [total]

    async def worker(conn):
        while remaining[0] > 0:
            remaining[0] -= 1
            began = time.perf_counter()
            status, _, _ = await conn.request(method, path, headers, body)
            latencies.append(time.perf_counter() - began)
            statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    connections = await asyncio.gather(*(Connection(host, port).open() for _ in range(concurrency)))
    started = time.perf_counter()
    await asyncio.gather(*(worker(conn) for conn in connections))
    return time.perf_counter() - started, latencies, statuses


# --- gunicorn --------------------------------------------------------------------------------


# --- checks and figures ----------------------------------------------------------------------


def database_check(show_id: int) -> dict[str, int]:
    """Counted by PostgreSQL itself, not from what the clients were told."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM (
                SELECT label FROM ticketing_booking b, jsonb_array_elements_text(b.seats) AS label
                WHERE b.show_id = %s AND b.state = 'held' GROUP BY label HAVING count(*) > 1
            ) AS doubled
            """,
            [show_id],
        )
        in_two_bookings = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT
              count(*) FILTER (WHERE s.state = 'held'),
              count(*) FILTER (WHERE s.state = 'available'),
              count(*) FILTER (WHERE s.state = 'held' AND s.booking_id IS NULL),
              count(*) FILTER (WHERE s.state = 'held' AND (b.state <> 'held' OR NOT b.seats ? s.label))
            FROM ticketing_showseat s LEFT JOIN ticketing_booking b ON b.id = s.booking_id
            WHERE s.show_id = %s
            """,
            [show_id],
        )
        held, available, orphaned, mismatched = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM ticketing_booking WHERE show_id = %s AND state = 'held'", [show_id])
        holds = cursor.fetchone()[0]
    return {
        "in_two_bookings": in_two_bookings,
        "held": held,
        "available": available,
        "orphaned": orphaned,
        "mismatched": mismatched,
        "holds": holds,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=32, help="customers at once (default 32)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--storms", type=int, default=5, help="shows filled one after another (default 5)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--bare", type=int, default=BARE_MINIMUM, help=f"bare reference requests in all, at least (default {BARE_MINIMUM})"
    )
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    create_ping_table()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    prepared = time.perf_counter()
    shows = [setup_show(f"{stamp}-{n}", "Hold Storm") for n in range(args.storms)]
    cold_shows = [setup_show(f"{stamp}-cold-{n}", "Hold Storm") for n in range(args.storms)]
    alone_show = setup_show(f"{stamp}-alone", "Hold Storm")
    warm_show = setup_show(f"{stamp}-warm", "Hold Storm")
    pool = setup_customers(len(ROWS) * SEATS_PER_ROW + args.customers, "storm")  # enough if every win is one seat
    prepared = time.perf_counter() - prepared
    per_hold = statements_per_hold(stamp)
    connection.close()

    load = os.getloadavg()[0]  # other work on the machine skews every figure below
    port = free_port()
    log = TMP / "gunicorn.log"
    server = start_gunicorn(port, args.workers, args.threads, log, TMP)
    host = "127.0.0.1"
    try:
        # Warm every worker (imports, URLconf, connections) on both paths, the hold path with a
        # storm of its own on a third show (a worker's first hold builds its column plans); not counted.
        asyncio.run(run_requests(host, port, "GET", f"/api/shows/{shows[0].pk}/seats", pool[0].headers, 200, args.customers))
        asyncio.run(run_requests(host, port, "POST", "/bench/bare-insert", pool[0].headers, 200, args.customers))
        asyncio.run(run_storm(host, port, warm_show.pk, pool, args.customers, args.seed + 1))

        # One customer at a time on a second show: the cost of a hold without any queueing.
        alone = asyncio.run(run_storm(host, port, alone_show.pk, pool, 1, args.seed))
        alone_bare = asyncio.run(run_requests(host, port, "POST", "/bench/bare-insert", pool[0].headers, 300, 1))

        storms, colds = [], []
        bare_elapsed, bare_latencies, bare_statuses = 0.0, [], {}
        for n, (show, cold_show) in enumerate(zip(shows, cold_shows, strict=True)):
            storms.append(asyncio.run(run_storm(host, port, show.pk, pool, args.customers, args.seed + 10 * n)))
            # As runs A–G measured it: each connection opened by its first hold, inside the storm.
            colds.append(asyncio.run(run_storm(host, port, cold_show.pk, pool, args.customers, args.seed + 10 * n + 5, False)))
            # The reference in slices between the storms (at least as many requests as the storm's
            # attempts), so both meet the host as it is at that minute: a shared host's speed
            # drifts by a third within minutes, and one reference after all the storms read that
            # drift as a change in the ratio.
            slice_total = max(len(storms[-1].latencies), args.bare // args.storms)
            elapsed, latencies, statuses = asyncio.run(
                run_requests(host, port, "POST", "/bench/bare-insert", pool[0].headers, slice_total, args.customers)
            )
            bare_elapsed += elapsed
            bare_latencies += latencies
            for status, count in statuses.items():
                bare_statuses[status] = bare_statuses.get(status, 0) + count
        storm, cold = combined(storms), combined(colds)
        attempts = len(storm.latencies)
    finally:
        stop_gunicorn(server)

    checks = [database_check(show.pk) for show in shows]
    check = {key: sum(one[key] for one in checks) for key in checks[0]}
    overlap = 0
    for one in storms:  # a seat promised twice at the same show
        promised = [label for win in one.wins for label in win["seats"]]
        overlap += len(promised) - len(set(promised))
    conflicts = storm.statuses.get(409, 0)
    storm_rate = attempts / storm.elapsed
    bare_rate = len(bare_latencies) / bare_elapsed
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
        cursor.execute(f"SELECT count(*) FROM {PING_TABLE}")
        pings = cursor.fetchone()[0]
    double_held = check["in_two_bookings"] + check["orphaned"] + check["mismatched"] + overlap
    for other in (alone_show, *cold_shows):
        other_check = database_check(other.pk)
        double_held += other_check["in_two_bookings"] + other_check["orphaned"] + other_check["mismatched"]

    print(f"database            PostgreSQL {version} · {os.cpu_count()} CPUs · load average before the run {load:.2f}")
    print(
        f"server              gunicorn {args.workers} workers × {args.threads} threads (gthread), DEBUG off, rate limit off;"
        " clients: asyncio keep-alive connections in this process"
    )
    print(
        f"shows               {args.storms} of {len(ROWS) * SEATS_PER_ROW} seats, filled one after another · {args.customers}"
        " customers at once · 1–4 seats per attempt"
    )
    print(f"setup               {prepared:.1f} s (shows, {len(pool)} verified customers with sessions)")
    print(f"hold attempts       {attempts} in {storm.elapsed:.2f} s → {storm_rate:,.0f} attempts/s")
    print(
        f"latency             p50 {ms(statistics.median(storm.latencies))} · p99 {ms(percentile(storm.latencies, 99))}"
        f" · max {ms(max(storm.latencies))}"
    )
    fills = [one.full_at for one in storms]
    if all(fills):
        print(f"time to full        median {statistics.median(fills):.2f} s (min {min(fills):.2f}, max {max(fills):.2f})")
    else:
        print(f"time to full        {sum(1 for fill in fills if not fill)} of {len(fills)} shows never filled")
    seats_won = sum(len(win["seats"]) for win in storm.wins)
    print(f"wins                {len(storm.wins)} customers hold {seats_won} seats · conflicts (409) {conflicts}")
    print(f"statuses            {dict(sorted(storm.statuses.items()))}")
    print(
        f"database check      held {check['held']}/{args.storms * len(ROWS) * SEATS_PER_ROW}, available {check['available']},"
        f" holds {check['holds']}; seats in two held bookings {check['in_two_bookings']}, held without a booking"
        f" {check['orphaned']}, held by a booking that does not list them {check['mismatched']}, overlapping 201s {overlap}"
    )
    print(f"double-held seats   {double_held} (every show)")
    print(
        f"bare reference      one-INSERT view: {len(bare_latencies)} requests in {bare_elapsed:.2f} s →"
        f" {bare_rate:,.0f} req/s · p50 {ms(statistics.median(bare_latencies))} · p99 {ms(percentile(bare_latencies, 99))}"
        f" · {pings - 500} rows · statuses {dict(sorted(bare_statuses.items()))}"
    )
    print(f"holds vs bare       {storm_rate / bare_rate:.0%} of the bare view's rate")
    cold_rate = len(cold.latencies) / cold.elapsed
    print(
        f"cold connections    {len(cold.latencies)} attempts at {cold_rate:,.0f}/s ({cold_rate / bare_rate:.0%} of bare) · p50"
        f" {ms(statistics.median(cold.latencies))} · p99 {ms(percentile(cold.latencies, 99))} (as many other shows, each"
        " connection opened by its first hold inside the storm, as runs A–G measured)"
    )
    alone_rate, alone_bare_rate = len(alone.latencies) / alone.elapsed, len(alone_bare[1]) / alone_bare[0]
    print(
        f"one at a time       hold p50 {ms(statistics.median(alone.latencies))} ({alone_rate:,.0f}/s, {len(alone.latencies)}"
        f" attempts filling a second show) · bare p50 {ms(statistics.median(alone_bare[1]))} ({alone_bare_rate:,.0f}/s)"
    )
    print(f"statements per hold {per_hold} (a customer's first hold, caches warm; Django test Client, same settings)")
    errors = sum(count for status, count in storm.statuses.items() if status not in (201, 409))
    summary(
        "hold_storm",
        ratio=storm_rate / bare_rate,
        rps=storm_rate,
        reference_rps=bare_rate,
        p99_ms=percentile(storm.latencies, 99) * 1000,
        cold_ratio=cold_rate / bare_rate,
        cold_p99_ms=percentile(cold.latencies, 99) * 1000,
        statements_per_hold=per_hold,
        double_sold=double_held,
        errors=errors,
    )
    if double_held or check["held"] != args.storms * len(ROWS) * SEATS_PER_ROW:
        sys.exit("FAILED: a seat was double-held or the show did not fill")


def statements_per_hold(stamp: str) -> int:
    """The statements of one hold through the full middleware stack, on a show of its own: a
    first customer warms the caches, the second one's first hold is counted (each has opened a
    page first, bench/statement_counts.py)."""
    from django.test.utils import CaptureQueriesContext
    from statement_counts import signed_in_clients

    show = setup_show(f"{stamp}-count", "Hold Storm")
    counting = setup_customers(2, "storm-count")
    first, second = signed_in_clients([c.email for c in counting])
    path = f"/api/shows/{show.pk}/holds"
    assert first.post(path, {"seats": ["A1"]}, content_type="application/json").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = second.post(path, {"seats": ["A3", "A4"]}, content_type="application/json")
    assert response.status_code == 201, response.content
    connection.close()
    return len(queries)


if __name__ == "__main__":
    main()
