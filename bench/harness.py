"""What the benchmarks share: a PostgreSQL database, a 250-seat show, verified customers with
sessions, gunicorn, a small keep-alive HTTP client and percentiles. Django must be set up
by the script before the functions that touch models run."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
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
    """Verified customers (created once, reused by later runs), each with a fresh session."""
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
        client = Client()
        client.force_login(user)
        token = get_random_string(32)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}"
        customers.append(Customer(email=user.email, headers=f"Cookie: {cookies}\r\nX-CSRFToken: {token}\r\n"))
    return customers


class Connection:
    """One keep-alive connection; requests on it go one after another, like a browser tab."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: str, body: bytes = b"", content_type: str = "application/json"
    ) -> tuple[int, bytes, str]:
        """(status, body, Location header or "")."""
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
                length, close, location = 0, False, ""
                while (line := await self.reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                    elif name.lower() == "location":
                        location = value.strip()
                    elif name.lower() == "connection" and value.strip().lower() == "close":
                        close = True
                payload = await self.reader.readexactly(length) if length else b""
                if close:
                    self.close()
                return status, payload, location
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int, threads: int, log: Path, settings_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT)])}
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
