"""Benchmark: a hold storm. The app runs under gunicorn on PostgreSQL; N customers at once
(default 32) grab random free seats of one 250-seat show, 1–4 seats per attempt, through
POST /api/shows/{id}/holds, until the show is fully held. A customer whose hold succeeds
keeps it and the next customer from the queue takes their place; a customer refused (409)
tries other seats. Prints attempts/s, p50/p99 latency, time to full, wins, conflicts and a
database check for double-held seats (must be 0), next to a bare reference measured in the
same run under the same gunicorn: a trivial Django view doing one INSERT.

    .venv/bin/python bench/hold_storm.py [--customers 32] [--workers 5] [--threads 4]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/marquee_bench (created and
migrated when missing). The hold rate limit is off (MARQUEE_HOLD_RATE=0). The bare view lives
in a URLconf this script writes to a temporary directory, never in the app's urls.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.mkdtemp(prefix="hold-storm-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
SETTINGS_MODULE = "hold_storm_settings"
ROWS = "ABCDEFGHIJ"  # 10 rows × 25 seats = 250
SEATS_PER_ROW = 25
PING_TABLE = "bench_hold_storm_ping"

(TMP / f"{SETTINGS_MODULE}.py").write_text(
    textwrap.dedent(
        """
        # Written by bench/hold_storm.py: the app's base settings plus the bare reference view.
        from config.settings.base import *  # noqa: F403

        DEBUG = False
        ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
        ROOT_URLCONF = "hold_storm_urls"
        MARQUEE_HOLD_RATE = 0
        """
    )
)
(TMP / "hold_storm_urls.py").write_text(
    textwrap.dedent(
        f"""
        # Written by bench/hold_storm.py: one trivial view doing one INSERT, then the app's URLs.
        from django.db import connection
        from django.http import HttpResponse
        from django.urls import path
        from django.views.decorators.http import require_POST

        from config.urls import urlpatterns as app_urlpatterns


        @require_POST
        def bare_insert(request):
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO {PING_TABLE} (created_at) VALUES (now())")
            return HttpResponse(b'{{"ok": true}}', status=201, content_type="application/json")


        urlpatterns = [path("bench/bare-insert", bare_insert)] + app_urlpatterns
        """
    )
)

sys.path[:0] = [str(TMP), str(ROOT)]
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marquee_bench")
os.environ["MARQUEE_HOLD_RATE"] = "0"
os.environ.setdefault("LOG_LEVEL", "WARNING")


def ensure_database(url: str) -> None:
    """CREATE DATABASE when it does not exist yet (connecting to the server's postgres db)."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("hold_storm needs PostgreSQL: set DATABASE_URL=postgres://...")
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    params["password"] = config["PASSWORD"] or None
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

# --- the show and its customers --------------------------------------------------------------


def setup_show(stamp: str):
    """A new theater with one 250-seat screen and a show tomorrow at 18:00 (a new one each run)."""
    from django.utils import timezone

    from cinema.models import (
        Language,
        MovieIndexPage,
        MoviePage,
        Screen,
        SeatLayout,
        ShowPage,
        ShowPrice,
        TheaterIndexPage,
        TheaterPage,
    )
    from home.models import HomePage

    home = HomePage.objects.get()
    movies = MovieIndexPage.objects.first() or home.add_child(instance=MovieIndexPage(title="Movies", slug="movies"))
    theaters = TheaterIndexPage.objects.first() or home.add_child(instance=TheaterIndexPage(title="Theaters", slug="theaters"))
    hindi, _ = Language.objects.get_or_create(name="Hindi")
    movie = MoviePage.objects.filter(slug="hold-storm").first()
    if movie is None:
        movie = movies.add_child(instance=MoviePage(title="Hold Storm", slug="hold-storm", runtime_minutes=120))
        movie.languages.add(hindi)
        movie.save()
    rows = [
        ("row", {"label": label, "seats": SEATS_PER_ROW, "category": "Prime" if label >= "H" else "Classic"}) for label in ROWS
    ]
    layout = SeatLayout(
        name=f"Storm 250 {stamp}", categories=[("category", {"name": "Prime"}), ("category", {"name": "Classic"})], rows=rows
    )
    layout.save()
    theater = TheaterPage(title=f"Storm Plaza {stamp}", slug=f"storm-plaza-{stamp}", city="Mumbai", address="1 Storm Road")
    theater.screens = [Screen(name="Screen 1", seat_layout=layout)]
    theaters.add_child(instance=theater)
    tomorrow = timezone.localdate() + timedelta(days=1)
    show = ShowPage(
        screen=theater.screens.first(),
        starts_at=timezone.make_aware(datetime.combine(tomorrow, dt_time(18))),
        language=hindi,
    )
    show.prices = [ShowPrice(category="Prime", amount=Decimal("350")), ShowPrice(category="Classic", amount=Decimal("220"))]
    movie.add_child(instance=show)
    return show


@dataclass
class Customer:
    email: str
    headers: str  # the session cookie, a CSRF cookie and the matching X-CSRFToken header


def setup_customers(count: int) -> list[Customer]:
    """Verified customers (created once, reused by later runs), each with a fresh session."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.test import Client
    from django.utils.crypto import get_random_string

    User = get_user_model()
    emails = [f"storm{n}@example.com" for n in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=emails).values_list("username", flat=True))
    password = make_password("storm-password")
    User.objects.bulk_create([User(username=e, email=e, password=password) for e in emails if e not in existing])
    users = list(User.objects.filter(username__in=emails).order_by("pk"))
    verified = set(EmailAddress.objects.filter(user__in=users, verified=True).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users if u.pk not in verified],
        ignore_conflicts=True,
    )
    customers = []
    for user in users:
        client = Client()
        client.force_login(user)
        token = get_random_string(32)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}"
        customers.append(Customer(email=user.email, headers=f"Cookie: {cookies}\r\nX-CSRFToken: {token}\r\n"))
    return customers


# --- a small keep-alive HTTP/1.1 client (asyncio streams) ------------------------------------


class Connection:
    """One keep-alive connection; requests on it go one after another, like a browser tab."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: str, body: bytes = b"") -> tuple[int, bytes]:
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            head = (
                f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{headers}"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
            )
            try:
                self.writer.write(head.encode() + body)
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionResetError("server closed the connection")
                status = int(status_line.split()[1])
                length, close = 0, False
                while (line := await self.reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                    elif name.lower() == "connection" and value.strip().lower() == "close":
                        close = True
                payload = await self.reader.readexactly(length) if length else b""
                if close:
                    self.close()
                return status, payload
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


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
            status, payload = await conn.request("POST", path, customer.headers, body)
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


async def run_storm(host, port, show_id, customers, concurrency, seed) -> Storm:
    labels = {f"{r}{n}" for r in ROWS for n in range(1, SEATS_PER_ROW + 1)}
    storm = Storm(free=labels, queue=list(reversed(customers)))
    connections = [Connection(host, port) for _ in range(concurrency)]
    storm.started = time.perf_counter()
    path = f"/api/shows/{show_id}/holds"
    await asyncio.gather(*(customer_worker(storm, conn, path, random.Random(seed + n)) for n, conn in enumerate(connections)))
    storm.elapsed = time.perf_counter() - storm.started
    for conn in connections:
        conn.close()
    return storm


async def run_requests(host, port, method, path, headers, total, concurrency, body=b"") -> tuple[float, list[float], dict]:
    """``total`` requests spread over ``concurrency`` keep-alive connections."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    remaining = [total]

    async def worker(conn):
        while remaining[0] > 0:
            remaining[0] -= 1
            began = time.perf_counter()
            status, _ = await conn.request(method, path, headers, body)
            latencies.append(time.perf_counter() - began)
            statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(Connection(host, port)) for _ in range(concurrency)))
    return time.perf_counter() - started, latencies, statuses


# --- gunicorn --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TMP), str(ROOT)])}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        "--keep-alive=30",
        "--backlog=2048",
        f"--chdir={ROOT}",
    ]
    server = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited early; see {log}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/shows?date=2000-01-01", timeout=2) as reply:
                if reply.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(server)
    sys.exit(f"gunicorn did not answer within 60 s; see {log}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


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


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=32, help="customers at once (default 32)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {PING_TABLE} (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL)")
        cursor.execute(f"TRUNCATE {PING_TABLE}")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    prepared = time.perf_counter()
    show = setup_show(stamp)
    alone_show = setup_show(f"{stamp}-alone")
    pool = setup_customers(len(ROWS) * SEATS_PER_ROW + args.customers)  # enough if every win is one seat
    prepared = time.perf_counter() - prepared
    connection.close()

    load = os.getloadavg()[0]  # other work on the machine skews every figure below
    port = free_port()
    log = TMP / "gunicorn.log"
    server = start_gunicorn(port, args.workers, args.threads, log)
    host = "127.0.0.1"
    try:
        # Warm every worker (imports, URLconf, connections) on both paths; not counted.
        asyncio.run(run_requests(host, port, "GET", f"/api/shows/{show.pk}/seats", pool[0].headers, 200, args.customers))
        asyncio.run(run_requests(host, port, "POST", "/bench/bare-insert", pool[0].headers, 200, args.customers))

        # One customer at a time on a second show: the cost of a hold without any queueing.
        alone = asyncio.run(run_storm(host, port, alone_show.pk, pool, 1, args.seed))
        alone_bare = asyncio.run(run_requests(host, port, "POST", "/bench/bare-insert", pool[0].headers, 300, 1))

        storm = asyncio.run(run_storm(host, port, show.pk, pool, args.customers, args.seed))

        attempts = len(storm.latencies)
        bare_elapsed, bare_latencies, bare_statuses = asyncio.run(
            run_requests(host, port, "POST", "/bench/bare-insert", pool[0].headers, max(attempts, 2000), args.customers)
        )
    finally:
        stop_gunicorn(server)

    check = database_check(show.pk)
    promised = [label for win in storm.wins for label in win["seats"]]
    overlap = len(promised) - len(set(promised))
    conflicts = storm.statuses.get(409, 0)
    storm_rate = attempts / storm.elapsed
    bare_rate = len(bare_latencies) / bare_elapsed
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
        cursor.execute(f"SELECT count(*) FROM {PING_TABLE}")
        pings = cursor.fetchone()[0]
    double_held = check["in_two_bookings"] + check["orphaned"] + check["mismatched"] + overlap
    alone_check = database_check(alone_show.pk)
    double_held += alone_check["in_two_bookings"] + alone_check["orphaned"] + alone_check["mismatched"]

    print(f"database            PostgreSQL {version} · {os.cpu_count()} CPUs · load average before the run {load:.2f}")
    print(
        f"server              gunicorn {args.workers} workers × {args.threads} threads (gthread), DEBUG off, rate limit off;"
        " clients: asyncio keep-alive connections in this process"
    )
    print(f"show                {len(ROWS) * SEATS_PER_ROW} seats · {args.customers} customers at once · 1–4 seats per attempt")
    print(f"setup               {prepared:.1f} s (show, {len(pool)} verified customers with sessions)")
    print(f"hold attempts       {attempts} in {storm.elapsed:.2f} s → {storm_rate:,.0f} attempts/s")
    print(
        f"latency             p50 {ms(statistics.median(storm.latencies))} · p99 {ms(percentile(storm.latencies, 99))}"
        f" · max {ms(max(storm.latencies))}"
    )
    print(f"time to full        {storm.full_at:.2f} s" if storm.full_at else "time to full        never (show not full)")
    print(f"wins                {len(storm.wins)} customers hold {len(promised)} seats · conflicts (409) {conflicts}")
    print(f"statuses            {dict(sorted(storm.statuses.items()))}")
    print(
        f"database check      held {check['held']}/{len(ROWS) * SEATS_PER_ROW}, available {check['available']},"
        f" holds {check['holds']}; seats in two held bookings {check['in_two_bookings']}, held without a booking"
        f" {check['orphaned']}, held by a booking that does not list them {check['mismatched']}, overlapping 201s {overlap}"
    )
    print(f"double-held seats   {double_held} (both shows)")
    print(
        f"bare reference      one-INSERT view: {len(bare_latencies)} requests in {bare_elapsed:.2f} s →"
        f" {bare_rate:,.0f} req/s · p50 {ms(statistics.median(bare_latencies))} · p99 {ms(percentile(bare_latencies, 99))}"
        f" · {pings - 500} rows · statuses {dict(sorted(bare_statuses.items()))}"
    )
    print(f"holds vs bare       {storm_rate / bare_rate:.0%} of the bare view's rate")
    alone_rate, alone_bare_rate = len(alone.latencies) / alone.elapsed, len(alone_bare[1]) / alone_bare[0]
    print(
        f"one at a time       hold p50 {ms(statistics.median(alone.latencies))} ({alone_rate:,.0f}/s, {len(alone.latencies)}"
        f" attempts filling a second show) · bare p50 {ms(statistics.median(alone_bare[1]))} ({alone_bare_rate:,.0f}/s)"
    )
    if double_held or check["held"] != len(ROWS) * SEATS_PER_ROW:
        sys.exit("FAILED: a seat was double-held or the show did not fill")


if __name__ == "__main__":
    main()
