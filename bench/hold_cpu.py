"""Benchmark: the CPU a hold costs, in-process, beside the bare one-INSERT view.

The hold storm (bench/hold_storm.py) is the figure issue 15 asks for, but on a shared host its
ratio moves by a third between runs minutes apart, more than most single changes move it.
This one calls the production WSGI handler (config/wsgi.py) directly, one request at a time,
and counts CPU rather than wall time: this process's (`time.process_time`, kernel time
included, where a round trip's loopback work lands) and its PostgreSQL backend's (from
/proc). The attempts are a storm's mix: 32 customers' picks are in flight at once, each made
from the free seats as known when it was sent, so about as many are refused (409) as in the
storm; every customer's first hold at a fresh show, as there. Run two builds alternately
(``git worktree add``, then this script from each) to compare them.

    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/hold_cpu.py [--shows 6]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/marquee_bench (created and
migrated when missing). The hold rate limit is off (MARQUEE_HOLD_RATE=0).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from collections import deque
from pathlib import Path

from harness import (
    ROWS,
    SEATS_PER_ROW,
    bare_insert_app,
    create_ping_table,
    setup_customers,
    setup_show,
    summary,
)

IN_FLIGHT = 32
bare_insert_app("hold_cpu")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def environ(method: str, path: str, headers: str, body: bytes = b"") -> dict:
    """A WSGI environ as gunicorn builds it for this request (headers: "Name: value\\r\\n" lines)."""
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    for line in headers.strip().split("\r\n"):
        name, _, value = line.partition(": ")
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


class App:
    """The production handler, called as gunicorn calls it."""

    def __init__(self):
        from config.wsgi import application

        self.application = application
        self.status = 0

    def _start_response(self, status, headers, exc_info=None):
        self.status = int(status[:3])

    def __call__(self, env: dict) -> tuple[int, bytes]:
        result = self.application(env, self._start_response)
        try:
            return self.status, b"".join(result)
        finally:
            result.close()


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fill(app: App, show, customers, rng: random.Random) -> dict[int, int]:
    """Hold every seat of the show with a storm's mix of wins and refusals; statuses counted."""
    free = {f"{r}{n}" for r in ROWS for n in range(1, SEATS_PER_ROW + 1)}
    queue = list(customers)
    rng.shuffle(queue)
    path = f"/api/shows/{show.pk}/holds"

    def pick():
        return rng.sample(sorted(free), min(rng.randint(1, 4), len(free))) if free else None

    flight = deque((queue.pop(), pick()) for _ in range(IN_FLIGHT))
    statuses: dict[int, int] = {}
    while free and flight:
        customer, seats = flight.popleft()
        if seats is None:
            continue
        status, body = app(environ("POST", path, customer.headers, json.dumps({"seats": seats}).encode()))
        statuses[status] = statuses.get(status, 0) + 1
        if status == 201:
            free.difference_update(json.loads(body)["seats"])
            if queue:
                flight.append((queue.pop(), pick()))
        elif status == 409:
            free.difference_update(json.loads(body).get("unavailable", []))
            flight.append((customer, pick()))
        else:
            raise SystemExit(f"unexpected {status} from the hold endpoint: {body[:300]!r}")
    return statuses


def measure(run) -> tuple[float, float, float]:
    """(this process's CPU, the backend's CPU, wall) in seconds for ``run()``."""
    backend, cpu, wall = backend_cpu(), time.process_time(), time.perf_counter()
    run()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu, backend_cpu() - backend, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shows", type=int, default=6, help="shows filled and timed (one more warms up)")
    parser.add_argument("--bare", type=int, default=2000, help="bare view requests timed")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    create_ping_table()
    stamp = time.strftime("%H%M%S")
    customers = setup_customers(300, "storm")
    shows = [setup_show(f"{stamp}c{n}", "Hold Storm") for n in range(args.shows + 1)]
    app = App()
    rng = random.Random(1)
    fill(app, shows[0], customers, rng)  # every cache and prepared statement warm

    statuses: dict[int, int] = {}

    def holds():
        for show in shows[1:]:
            for status, count in fill(app, show, customers, rng).items():
                statuses[status] = statuses.get(status, 0) + count

    hold_cpu, hold_backend, hold_wall = measure(holds)
    attempts = sum(statuses.values())

    def bare(total):
        for _ in range(total):
            status, _ = app(environ("POST", "/bench/bare-insert", customers[0].headers))
            assert status == 201, status

    bare(200)
    bare_cpu, bare_backend, bare_wall = measure(lambda: bare(args.bare))
    per = 1000 / attempts
    each = 1000 / args.bare
    print(f"database            PostgreSQL · {os.cpu_count()} CPUs · load average {os.getloadavg()[0]:.2f}")
    print(f"holds               {attempts} attempts over {args.shows} shows {statuses}")
    print(
        f"per attempt         this process {hold_cpu * per:.3f} ms CPU · PostgreSQL backend "
        f"{hold_backend * per:.3f} ms CPU · wall {hold_wall * per:.3f} ms"
    )
    print(
        f"bare view           this process {bare_cpu * each:.3f} ms CPU · PostgreSQL backend "
        f"{bare_backend * each:.3f} ms CPU · wall {bare_wall * each:.3f} ms ({args.bare} requests)"
    )
    ratio = (bare_cpu + bare_backend) * each / ((hold_cpu + hold_backend) * per)
    print(f"bare vs hold CPU    {ratio:.3f} (the bare view's CPU per request over a hold attempt's, both processes)")
    summary(
        "hold_cpu",
        ratio=round(ratio, 3),
        cpu_ms=round(hold_cpu * per, 3),
        backend_ms=round(hold_backend * per, 3),
        reference_cpu_ms=round(bare_cpu * each, 3),
        reference_backend_ms=round(bare_backend * each, 3),
        attempts=attempts,
        refused=statuses.get(409, 0),
        errors=sum(count for status, count in statuses.items() if status not in (201, 409)),
    )


if __name__ == "__main__":
    main()
