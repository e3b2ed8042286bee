"""What the benchmarks share: a PostgreSQL database, a 250-seat show, verified customers with
sessions, gunicorn, a small keep-alive HTTP client and percentiles. Django must be set up
by the script before the functions that touch models run."""

from __future__ import annotations

import asyncio
import atexit
import os
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
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

ROOT = Path(__file__).resolve().parent.parent
ROWS = "ABCDEFGHIJ"  # 10 rows × 25 seats = 250
SEATS_PER_ROW = 25


PING_TABLE = "bench_hold_storm_ping"


def bare_insert_app(bench: str) -> Path:
    """Before Django is set up: a temporary folder (removed at exit, put on sys.path) with a
    settings module and URLconf, made the settings: the app's base settings, the hold rate limit
    off, and a trivial view doing one INSERT into ``PING_TABLE`` at POST /bench/bare-insert
    before the app's URLs (never in the app's own). DATABASE_URL defaults to the bench
    database, created when missing. Returns the folder."""
    folder = Path(tempfile.mkdtemp(prefix=f"{bench}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / f"{bench}_settings.py").write_text(
        textwrap.dedent(
            f"""
            # Written by bench/{bench}.py: the app's base settings plus the bare reference view.
            from config.settings.base import *  # noqa: F403

            DEBUG = False
            ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
            ROOT_URLCONF = "{bench}_urls"
            MARQUEE_HOLD_RATE = 0
            """
        )
    )
    (folder / f"{bench}_urls.py").write_text(
        textwrap.dedent(
            f"""
            # Written by bench/{bench}.py: one trivial view doing one INSERT, then the app's URLs.
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
    sys.path[:0] = [str(folder), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = f"{bench}_settings"
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marquee_bench")
    os.environ["MARQUEE_HOLD_RATE"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    ensure_database(os.environ["DATABASE_URL"], bench)
    return folder


def create_ping_table() -> None:
    """The bare view's table, empty (Django set up)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {PING_TABLE} (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL)")
        cursor.execute(f"TRUNCATE {PING_TABLE}")


def ensure_database(url: str, name: str = "the benchmark") -> None:
    """CREATE DATABASE when it does not exist yet (connecting to the server's postgres db)."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(f"{name} needs PostgreSQL: set DATABASE_URL=postgres://...")
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    params["password"] = config["PASSWORD"] or None
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def setup_show(stamp: str, name: str):
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
    movie = MoviePage.objects.filter(slug=slugify(name)).first()
    if movie is None:
        movie = movies.add_child(instance=MoviePage(title="Checkout Bench", slug=slugify(name), runtime_minutes=120))
        movie.languages.add(hindi)
        movie.save()
    rows = [
        ("row", {"label": label, "seats": SEATS_PER_ROW, "category": "Prime" if label >= "H" else "Classic"}) for label in ROWS
    ]
    layout = SeatLayout(
        name=f"{name} 250 {stamp}", categories=[("category", {"name": "Prime"}), ("category", {"name": "Classic"})], rows=rows
    )
    layout.save()
    theater = TheaterPage(
        title=f"{name} Plaza {stamp}", slug=slugify(f"{name} plaza {stamp}"), city="Mumbai", address="1 Bench Road"
    )
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


def setup_customers(count: int, prefix: str) -> list[Customer]:
    """Verified customers (created once, reused by later runs), each with a fresh session that
    has opened a page."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.test import Client
    from django.utils.crypto import get_random_string

    User = get_user_model()
    emails = [f"{prefix}{n}@example.com" for n in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=emails).values_list("username", flat=True))
    password = make_password(f"{prefix}-password")
    User.objects.bulk_create([User(username=e, email=e, password=password) for e in emails if e not in existing])
    users = list(User.objects.filter(username__in=emails).order_by("pk"))
    verified = set(EmailAddress.objects.filter(user__in=users, verified=True).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users if u.pk not in verified],
        ignore_conflicts=True,
    )
    customers = []
    for user in users:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        # as a customer who opened a page: its session.js asked who is signed in, which read
        # and cached their user row (core/auth_copy.py; shared with gunicorn through REDIS_URL)
        assert client.get("/api/session").status_code == 200
        token = get_random_string(32)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}"
        customers.append(Customer(email=user.email, headers=f"Cookie: {cookies}\r\nX-CSRFToken: {token}\r\n"))
    return customers


@dataclass
class Reply:
    """One response: its status, body and headers (lower-case names; a header sent twice, such
    as Set-Cookie, keeps every value)."""

    status: int
    body: bytes
    headers: dict[str, list[str]]

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower())
        return values[-1] if values else ""


class Connection:
    """One keep-alive connection; requests on it go one after another, like a browser tab."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: str, body: bytes = b"", content_type: str = "application/json"
    ) -> tuple[int, bytes, str]:
        """(status, body, Location header or "")."""
        reply = await self.exchange(method, path, headers, body, content_type)
        return reply.status, reply.body, reply.header("location")

    async def exchange(
        self, method: str, path: str, headers: str, body: bytes = b"", content_type: str = "application/json"
    ) -> Reply:
        """The whole response; a connection the server closed while idle is reopened once."""
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            head = (
                f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{headers}"
                f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
            )
            try:
                self.writer.write(head.encode() + body)
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionResetError("server closed the connection")
                status = int(status_line.split()[1])
                received: dict[str, list[str]] = {}
                while (line := await self.reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    received.setdefault(name.strip().lower(), []).append(value.strip())
                length = int((received.get("content-length") or ["0"])[-1])
                payload = await self.reader.readexactly(length) if length else b""
                if (received.get("connection") or [""])[-1].lower() == "close":
                    self.close()
                return Reply(status, payload, received)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def open(self) -> Connection:
        """Connect now, so the first request's time holds no TCP handshake (a customer who
        holds seats has the page, and so a keep-alive connection, open already)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    port: int, workers: int, threads: int, log: Path, settings_dir: Path, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """gunicorn (gthread) on 127.0.0.1:`port`, once it answers; `env` adds to this process's environment."""
    env = {**os.environ, **(env or {}), "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT)])}
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


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def spread(values: list[float]) -> str:
    if not values:
        return "no requests"
    return f"p50 {ms(statistics.median(values))} · p99 {ms(percentile(values, 99))} · max {ms(max(values))} ({len(values)})"


def summary(bench: str, **figures) -> None:
    """The bench's last line: one JSON object a script can read (docs/performance.md)."""
    import json

    rounded = {key: round(value, 3) if isinstance(value, float) else value for key, value in figures.items()}
    print(json.dumps({"bench": bench, **rounded}), flush=True)


def refuse_live_gateway() -> None:
    """Benches that pay drive the sandbox gateway; Razorpay keys in the environment stop them."""
    for key in ("RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"):
        if os.environ.get(key):
            sys.exit(f"unset {key}: this benchmark drives the sandbox gateway, never Razorpay")


def pay_at_gateway(order_id: str) -> tuple[str, str]:
    """What the customer does at Razorpay Checkout: a captured sandbox payment and its signature.
    Runs the ORM in the calling thread (benches call it from an executor)."""
    from django.db import close_old_connections

    from ticketing.payments.sandbox import SandboxGateway

    close_old_connections()
    gateway = SandboxGateway()
    payment = gateway.pay(order_id)
    return payment.payment_id, gateway.sign_payment(order_id, payment.payment_id)


def sales_check(show_ids: list[int]) -> dict[str, int]:
    """What PostgreSQL says was sold on these shows, whatever the clients were told: seats in two
    confirmed bookings (must be 0), sold seats outside their confirmed booking (must be 0), seats
    sold vs seats in confirmed bookings, and paid payments vs confirmed bookings (must be equal)."""
    from django.db import connection

    from ticketing.models import Booking, Payment, ShowSeat

    seats, bookings, payments = ShowSeat._meta.db_table, Booking._meta.db_table, Payment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*) FROM (
                SELECT b.show_id, label FROM {bookings} b, jsonb_array_elements_text(b.seats) AS label
                WHERE b.show_id = ANY(%s) AND b.state = 'confirmed' GROUP BY b.show_id, label HAVING count(*) > 1
            ) AS doubled
            """,
            [show_ids],
        )
        (double_sold,) = cursor.fetchone()
        cursor.execute(
            f"""
            SELECT count(*) FILTER (WHERE s.state = 'sold'),
                   count(*) FILTER (WHERE s.state = 'sold' AND (b.id IS NULL OR b.state <> 'confirmed' OR NOT b.seats ? s.label))
            FROM {seats} s LEFT JOIN {bookings} b ON b.id = s.booking_id WHERE s.show_id = ANY(%s)
            """,
            [show_ids],
        )
        sold, outside = cursor.fetchone()
        cursor.execute(
            f"""
            SELECT count(*), coalesce(sum(jsonb_array_length(seats)), 0)
            FROM {bookings} WHERE show_id = ANY(%s) AND state = 'confirmed'
            """,
            [show_ids],
        )
        confirmed, confirmed_seats = cursor.fetchone()
        cursor.execute(
            f"SELECT count(*) FROM {payments} p JOIN {bookings} b ON b.id = p.booking_id"
            " WHERE b.show_id = ANY(%s) AND p.status = 'paid'",
            [show_ids],
        )
        (paid,) = cursor.fetchone()
    return {
        "double_sold": double_sold,
        "sold_outside_booking": outside,
        "sold": sold,
        "confirmed": confirmed,
        "confirmed_seats": confirmed_seats,
        "paid": paid,
    }
