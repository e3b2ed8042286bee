"""Benchmark: opening night, a rush of many customers on the same few shows. The app runs as two
web nodes (two gunicorn masters on two ports, each a few gthread workers) sharing one
PostgreSQL database and one Redis; the load generator (asyncio, one coroutine and one
keep-alive connection per customer, in this process) sends each customer to one node, and
every customer comes from their own client address (X-Forwarded-For, read through
MARQUEE_TRUSTED_PROXY_COUNT=1, so allauth's per-address login limits apply per customer).

    .venv/bin/python bench/opening_night.py [--customers 2000] [--duration 60] [--quick]

Who does what (seeded, so a run repeats; the shares are options):
- Customers arrive over the first half of the run; 80% want one of the 2 "hot" shows, the rest
  one of the others (4 shows of 250 seats by default).
- Everyone browses: half start at the home page, then the movie page, then the show page; a
  third start at the movie page; the rest open the show page from a shared link. 1–3 s of
  thought between pages. Each page is followed by GET /api/session, as its session.js asks
  who is signed in (the pages themselves are the same cached HTML for everyone).
- On the show page everyone polls the seat states every 5 s as the page's JavaScript does
  (GET /api/shows/{id}/seats, sending If-None-Match with the last ETag the server gave; 304s
  are counted apart from 200s). Browsers poll 2–8 times and leave, or stop at the end of the
  run.
- 30% are buyers. A third of them sign in through allauth's login form (GET the form, 2–5 s of
  typing, POST it: a real password check); the others arrive signed in from an earlier visit
  (a session made in setup). A buyer polls 1–3 times, picks 1–4 free seats side by side from
  the last seat states, and holds them (POST /api/shows/{id}/holds; on a 409 they look again
  and pick others, up to 3 tries; a sold-out show sends them home). 85% of those holding pay:
  POST /api/bookings/{reference}/pay (no wallet, a sandbox gateway order), pay at the sandbox
  "gateway" (its ORM in this process, in a thread, as bench/checkout.py does), post the signed
  fields to /payments/razorpay/callback/ (the finalizer) and open the booking page it
  redirects to. The rest leave their hold to lapse.
- After the run's duration nobody starts browsing or polling; a buyer already holding seats
  finishes checkout. Whatever is still going 30 s later is cancelled and counted.

Prints per kind of request: requests/s over the run, p50/p99, statuses, errors (status ≥ 500,
connection errors, timeouts) apart from the expected 409 seat conflicts and 429 rate limits;
requests per web node; the client's own CPU and event-loop lag (so a run where the load
generator is the bottleneck shows); then the database check: seats in two confirmed bookings
(must be 0) and paid payments against confirmed bookings (must be equal). Ends with one JSON
line. Exits non-zero when a seat is sold twice or payments and confirmed bookings differ.

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/marquee_bench (created and
migrated when missing); REDIS_URL to redis://127.0.0.1:6379/0 (the broker; the cache, and the
sessions and version counters in it, take the next database). The hold rate limit and
allauth's limits stay on. No Razorpay keys may be set. E-mail goes to Django's locmem backend.
django-q2's cluster does not run: confirmations queue their e-mail tasks into the Redis
broker and they stay there (run `manage.py qcluster` against the same settings to drain them,
or flush the broker database). Static files (CSS, JS, posters) are not fetched: in production
they come from whitenoise's far-future cache or a CDN, not from the page workers.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import ipaddress
import json
import os
import random
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import textwrap
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from harness import (  # bench/harness.py (this folder is on the path)
    ROOT,
    Connection,
    Reply,
    ensure_database,
    free_port,
    ms,
    pay_at_gateway,
    percentile,
    refuse_live_gateway,
    sales_check,
    setup_customers,
    setup_show,
    start_gunicorn,
    stop_gunicorn,
    summary,
)

TMP = Path(tempfile.mkdtemp(prefix="opening-night-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
SETTINGS_MODULE = "opening_night_settings"
PREFIX = "rush"  # the bench customers: rush1@example.com, … (password "rush-password")
POLL_S = 5.0  # static/js/seatmap.js REFRESH_MS
REQUEST_TIMEOUT_S = 30.0
GRACE_S = 30.0
PRIVATE_BASE = int(ipaddress.IPv4Address("10.0.0.0"))

(TMP / f"{SETTINGS_MODULE}.py").write_text(
    textwrap.dedent(
        """
        # Written by bench/opening_night.py: the app's base settings, DEBUG off, mail kept in memory.
        from config.settings.base import *  # noqa: F403

        DEBUG = False
        ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
        EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        """
    )
)

sys.path[:0] = [str(TMP), str(ROOT)]
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marquee_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ["MARQUEE_TRUSTED_PROXY_COUNT"] = "1"
os.environ.setdefault("LOG_LEVEL", "WARNING")
refuse_live_gateway()

ensure_database(os.environ["DATABASE_URL"], "opening night")

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

# --- what was measured -------------------------------------------------------------------------


@dataclass
class Kind:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0  # status ≥ 500, connection errors, timeouts


@dataclass
class Tally:
    kinds: dict[str, Kind] = field(default_factory=dict)
    per_node: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)  # what became of the customers
    error_samples: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)

    def record(self, kind: str, node: int, seconds: float, status: int | None, detail: str = "") -> None:
        entry = self.kinds.setdefault(kind, Kind())
        entry.latencies.append(seconds)
        self.per_node[node] += 1
        if status is None or status >= 500:
            entry.errors += 1
            entry.statuses["error" if status is None else status] += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(f"{kind}: {status or ''} {detail}"[:300])
        else:
            entry.statuses[status] += 1


# --- one customer ------------------------------------------------------------------------------


@dataclass
class Plan:
    """What one customer will do, drawn before the run from the seeded generator."""

    number: int
    arrival: float
    node: int
    show: int
    entry: str  # "home", "movie" or "link"
    polls: int
    buyer: bool
    signs_in: bool
    pays: bool
    seats_wanted: int
    account: int = 0  # buyers: their account, rush<account>@example.com
    session: str = ""  # Cookie + X-CSRFToken lines of a customer who arrives signed in


@dataclass
class Site:
    home: str
    movie: str
    show_pages: dict[int, str]
    deadline: float = 0.0  # monotonic time after which nobody starts browsing or polling


def client_address(number: int) -> str:
    """A distinct private address per customer: 10.0.0.1 for the first, 10.0.1.0 for the 256th, …"""
    return str(ipaddress.IPv4Address(PRIVATE_BASE + number))


def cookie_values(reply: Reply) -> dict[str, str]:
    cookies = {}
    for value in reply.headers.get("set-cookie", []):
        name, _, rest = value.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


class Visit:
    """One customer's tab: one keep-alive connection to their node, their cookies, the last
    seat states and ETag they were given."""

    def __init__(self, plan: Plan, site: Site, ports: list[int], tally: Tally, rng: random.Random):
        self.plan, self.site, self.tally, self.rng = plan, site, tally, rng
        self.conn = Connection("127.0.0.1", ports[plan.node])
        self.address = f"X-Forwarded-For: {client_address(plan.number)}\r\n"
        self.auth = plan.session  # "" until signed in
        self.etag = ""
        self.seat_body = b""

    async def call(self, kind: str, method: str, path: str, body: bytes = b"", form: bool = False, extra: str = ""):
        headers = self.address + self.auth + extra
        content_type = "application/x-www-form-urlencoded" if form else "application/json"
        began = time.perf_counter()
        try:
            reply = await asyncio.wait_for(self.conn.exchange(method, path, headers, body, content_type), REQUEST_TIMEOUT_S)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError) as error:
            self.conn.close()
            self.tally.record(kind, self.plan.node, time.perf_counter() - began, None, f"{type(error).__name__} {error}")
            return None
        seconds = time.perf_counter() - began
        if kind == "seats" and reply.status == 304:
            kind = "seats_304"
        self.tally.record(kind, self.plan.node, seconds, reply.status, reply.body[:200].decode("utf-8", "replace"))
        return reply

    async def think(self, low: float, high: float) -> None:
        await asyncio.sleep(self.rng.uniform(low, high))

    @property
    def late(self) -> bool:
        return time.monotonic() >= self.site.deadline

    async def poll(self) -> bool:
        """One seat-state refresh, as the page's JavaScript sends it; False when it failed."""
        reply = await self.call("seats", "GET", f"/api/shows/{self.plan.show}/seats", extra=self.if_none_match())
        if reply is None or reply.status not in (200, 304):
            return False
        if reply.status == 200:
            self.seat_body = reply.body
            self.etag = reply.header("etag")
        return True

    def if_none_match(self) -> str:
        return f"If-None-Match: {self.etag}\r\n" if self.etag else ""

    async def open_page(self, kind: str, path: str) -> bool:
        """A page and, as its session.js does, GET /api/session for who is signed in."""
        reply = await self.call(kind, "GET", path)
        if reply is None or reply.status != 200:
            return False
        reply = await self.call("session", "GET", "/api/session")
        return reply is not None and reply.status == 200

    async def browse(self) -> bool:
        home, movie = ("home", self.site.home), ("movie", self.site.movie)
        for kind, path in {"home": [home, movie], "movie": [movie], "link": []}[self.plan.entry]:
            if not await self.open_page(kind, path):
                return False
            await self.think(1, 3)
        return await self.open_page("show_page", self.site.show_pages[self.plan.show])

    async def sign_in(self) -> bool:
        """allauth's login form: GET it (its CSRF cookie), type, POST e-mail and password."""
        show_page = self.site.show_pages[self.plan.show]
        login = f"/accounts/login/?next={urllib.parse.quote(show_page)}"
        reply = await self.call("login_page", "GET", login)
        if reply is None or reply.status != 200:
            return False
        token = cookie_values(reply).get(settings.CSRF_COOKIE_NAME, "")
        await self.think(2, 5)
        form = urllib.parse.urlencode(
            {
                "login": f"{PREFIX}{self.plan.account}@example.com",
                "password": f"{PREFIX}-password",
                "csrfmiddlewaretoken": token,
                "next": show_page,
            }
        ).encode()
        reply = await self.call(
            "login", "POST", "/accounts/login/", form, form=True, extra=f"Cookie: {settings.CSRF_COOKIE_NAME}={token}\r\n"
        )
        if reply is None or reply.status != 302:
            return False
        cookies = cookie_values(reply)
        session, token = cookies.get(settings.SESSION_COOKIE_NAME), cookies.get(settings.CSRF_COOKIE_NAME, token)
        if not session:
            return False
        self.auth = (
            f"Cookie: {settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}\r\nX-CSRFToken: {token}\r\n"
        )
        return await self.open_page("show_page", show_page)  # where the login redirects

    def pick_seats(self) -> list[str]:
        """Free seats side by side when the last seat states have them, else any free ones."""
        try:
            seats = json.loads(self.seat_body)["seats"]
        except (ValueError, KeyError, TypeError):
            return []
        free = [seat for seat in seats if seat.get("state") == "available"]
        if not free:
            return []
        wanted = min(self.plan.seats_wanted, len(free))
        by_place = {(seat["row"], seat["number"]): seat["label"] for seat in free}
        start = self.rng.choice(free)
        block = [by_place.get((start["row"], start["number"] + n)) for n in range(wanted)]
        if all(block):
            return block
        return [seat["label"] for seat in self.rng.sample(free, wanted)]

    async def hold(self) -> dict | None:
        for _attempt in range(3):
            seats = self.pick_seats()
            if not seats:
                self.tally.outcomes["found the show sold out"] += 1
                return None
            body = json.dumps({"seats": seats}).encode()
            reply = await self.call("hold", "POST", f"/api/shows/{self.plan.show}/holds", body)
            if reply is None:
                return None
            if reply.status == 201:
                return json.loads(reply.body)
            if reply.status != 409:
                self.tally.outcomes[f"hold answered {reply.status}"] += 1
                return None
            await self.think(1, 2)
            if not await self.poll():
                return None
        self.tally.outcomes["gave up after 3 seat conflicts"] += 1
        return None

    async def checkout(self, booking: dict, executor: ThreadPoolExecutor) -> None:
        reference = booking["reference"]
        await self.think(2, 6)  # reading the quote
        reply = await self.call("pay", "POST", f"/api/bookings/{reference}/pay", json.dumps({"use_wallet": False}).encode())
        if reply is None or reply.status != 200:
            self.tally.outcomes[f"pay answered {reply.status if reply else 'nothing'}"] += 1
            return
        order_id = json.loads(reply.body).get("order_id")
        if not order_id:
            self.tally.outcomes["pay gave no gateway order"] += 1
            return
        await self.think(2, 6)  # at the gateway's page
        began = time.perf_counter()
        try:
            payment_id, signature = await asyncio.get_running_loop().run_in_executor(executor, pay_at_gateway, order_id)
        except Exception as error:  # the sandbox's own tables; a failure there is the bench's, not the app's
            self.tally.record("gateway", self.plan.node, time.perf_counter() - began, None, repr(error))
            return
        self.tally.record("gateway", self.plan.node, time.perf_counter() - began, 200)
        form = urllib.parse.urlencode(
            {"razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature}
        ).encode()
        reply = await self.call("callback", "POST", "/payments/razorpay/callback/", form, form=True)
        if reply is None or reply.status != 302:
            self.tally.outcomes[f"callback answered {reply.status if reply else 'nothing'}"] += 1
            return
        location = urllib.parse.urlsplit(reply.header("location")).path
        if location != f"/bookings/{reference}/":
            self.tally.outcomes["callback sent them somewhere else"] += 1
            return
        self.tally.confirmed.append(reference)
        self.tally.outcomes["bought tickets"] += 1
        await self.call("booking_page", "GET", location)

    async def run(self, started: float, executor: ThreadPoolExecutor) -> None:
        await asyncio.sleep(max(0.0, started + self.plan.arrival - time.monotonic()))
        try:
            await self.visit(executor)
        finally:
            self.conn.close()

    async def visit(self, executor: ThreadPoolExecutor) -> None:
        plan = self.plan
        if not await self.browse():
            self.tally.outcomes["left: a page failed"] += 1
            return
        if plan.signs_in and not await self.sign_in():
            self.tally.outcomes["could not sign in"] += 1
            return
        for _ in range(plan.polls):
            await asyncio.sleep(POLL_S)
            if self.late:
                self.tally.outcomes["still browsing at the end"] += 1
                return
            if not await self.poll():
                self.tally.outcomes["left: a poll failed"] += 1
                return
        if not plan.buyer:
            self.tally.outcomes["browsed and left"] += 1
            return
        booking = await self.hold()
        if booking is None:
            return
        if not plan.pays:
            self.tally.outcomes["held and left the hold to lapse"] += 1
            return
        await self.checkout(booking, executor)


# --- the run -----------------------------------------------------------------------------------


def make_plans(args, show_ids: list[int]) -> list[Plan]:
    rng = random.Random(args.seed)
    hot, others = show_ids[: args.hot], show_ids[args.hot :] or show_ids[: args.hot]
    plans = []
    for number in range(1, args.customers + 1):
        buyer = rng.random() < args.buyers
        plans.append(
            Plan(
                number=number,
                arrival=rng.uniform(0, args.duration / 2),
                node=number % args.nodes,
                show=rng.choice(hot) if rng.random() < 0.8 else rng.choice(others),
                entry=rng.choices(("home", "movie", "link"), weights=(50, 30, 20))[0],
                polls=rng.randint(1, 3) if buyer else rng.randint(2, 8),
                buyer=buyer,
                signs_in=buyer and rng.random() < args.sign_in,
                pays=buyer and rng.random() < args.pay,
                seats_wanted=rng.choices((1, 2, 3, 4), weights=(15, 50, 15, 20))[0],
            )
        )
    return plans


async def loop_lag(samples: list[float], stop: asyncio.Event) -> None:
    """How late a 50 ms sleep wakes up: a busy load generator shows here first."""
    while not stop.is_set():
        began = time.perf_counter()
        await asyncio.sleep(0.05)
        samples.append(time.perf_counter() - began - 0.05)


async def rush(plans, site: Site, ports: list[int], args, executor) -> tuple[Tally, float, int, list[float]]:
    tally = Tally()
    started = time.monotonic()
    site.deadline = started + args.duration
    visits = [Visit(plan, site, ports, tally, random.Random(args.seed * 100_003 + plan.number)) for plan in plans]
    lag, stop = [], asyncio.Event()
    ticker = asyncio.create_task(loop_lag(lag, stop))
    tasks = [asyncio.create_task(visit.run(started, executor)) for visit in visits]
    _done, pending = await asyncio.wait(tasks, timeout=args.duration + GRACE_S)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            tally.outcomes[f"bench error: {task.exception()!r}"[:120]] += 1
    stop.set()
    await ticker
    return tally, time.monotonic() - started, len(pending), lag


async def warm(ports: list[int], paths: list[str]) -> None:
    """Every worker imports, connects and renders once before the clock starts."""

    async def one(port):
        conn = Connection("127.0.0.1", port)
        for path in paths * 3:
            await conn.request("GET", path, "")
        conn.close()

    await asyncio.gather(*(one(port) for port in ports for _ in range(8)))


def redis_or_exit() -> None:
    cache.set("opening-night:ping", 1, timeout=10)
    if cache.get("opening-night:ping") != 1:
        sys.exit(f"Redis does not answer at {settings.REDIS_CACHE_URL}: this bench needs it (REDIS_URL)")


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the finally below stops both nodes
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of browsing and polling (default 60)")
    parser.add_argument("--quick", action="store_true", help="a sanity run: 200 customers over 15 s")
    parser.add_argument("--nodes", type=int, default=2, help="web nodes: gunicorn masters on their own ports")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--shows", type=int, default=4, help="shows of 250 seats")
    parser.add_argument("--hot", type=int, default=2, help="of which most customers want these")
    parser.add_argument("--buyers", type=float, default=0.30, help="share of customers who try to buy")
    parser.add_argument("--sign-in", type=float, default=1 / 3, help="share of buyers who sign in through the form")
    parser.add_argument("--pay", type=float, default=0.85, help="share of holding buyers who pay")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    if args.quick:
        args.customers, args.duration = 200, 15.0
    args.hot = max(1, min(args.hot, args.shows))

    redis_or_exit()
    call_command("migrate", verbosity=0)
    prepared = time.perf_counter()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    shows = [setup_show(f"{stamp}-{n}", "Opening Night") for n in range(1, args.shows + 1)]
    show_ids = [show.pk for show in shows]
    plans = make_plans(args, show_ids)
    buyers = [plan for plan in plans if plan.buyer]
    sessions = {customer.email: customer.headers for customer in setup_customers(len(buyers), PREFIX)}
    for account, plan in enumerate(buyers, 1):
        plan.account = account
        plan.session = "" if plan.signs_in else sessions[f"{PREFIX}{account}@example.com"]
    movie = shows[0].get_parent().specific
    site = Site(home="/", movie=movie.url, show_pages={show.pk: show.url for show in shows})
    prepared = time.perf_counter() - prepared
    connection.close()

    load = os.getloadavg()[0]
    env = {"MARQUEE_TRUSTED_PROXY_COUNT": "1", "REDIS_URL": os.environ["REDIS_URL"]}
    ports, servers = [free_port() for _ in range(args.nodes)], []
    executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="gateway")
    try:
        for node, port in enumerate(ports):
            servers.append(start_gunicorn(port, args.workers, args.threads, TMP / f"gunicorn-{node}.log", TMP, env))
        asyncio.run(warm(ports, [site.home, site.movie, *site.show_pages.values(), f"/api/shows/{show_ids[0]}/seats"]))
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        tally, elapsed, cancelled, lag = asyncio.run(rush(plans, site, ports, args, executor))
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        for server in servers:
            stop_gunicorn(server)
        executor.shutdown(wait=False, cancel_futures=True)
    client_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    check = sales_check(show_ids)
    report(args, tally, elapsed, cancelled, lag, client_cpu, check, prepared, load, len(buyers))


def report(args, tally: Tally, elapsed, cancelled, lag, client_cpu, check, prepared, load, buyers) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    print(f"database            PostgreSQL {version} + Redis · {os.cpu_count()} CPUs · load average before the run {load:.2f}")
    print(
        f"web nodes           {args.nodes} × gunicorn {args.workers} workers × {args.threads} threads (gthread), DEBUG off,"
        " MARQUEE_TRUSTED_PROXY_COUNT=1, rate limits on, sandbox gateway"
    )
    print(
        f"customers           {args.customers} over {args.duration:.0f} s (arriving in the first half), {args.shows} shows × 250"
        f" seats, {args.hot} hot; {buyers} buyers ({args.sign_in:.0%} sign in through the form, {args.pay:.0%} of holders"
        f" pay); seed {args.seed}; setup {prepared:.1f} s"
    )
    http = {name: kind for name, kind in tally.kinds.items() if name != "gateway"}
    requests = sum(len(kind.latencies) for kind in http.values())
    errors = sum(kind.errors for kind in http.values())
    unanswered = sum(kind.statuses["error"] for kind in http.values())  # connection errors and timeouts
    every = [seconds for kind in http.values() for seconds in kind.latencies]
    p99 = percentile(every, 99) if every else 0.0
    print(
        f"--- {requests} requests in {elapsed:.1f} s = {requests / elapsed:,.0f} req/s, {errors} errors"
        f" ({unanswered} never answered: connection errors and timeouts)"
    )
    print(f"{'kind':<18} {'count':>7} {'req/s':>7} {'p50':>10} {'p99':>10} {'errors':>6} {'409':>5} {'429':>5}  statuses")
    by_kind = {}
    order = ["home", "movie", "show_page", "session", "seats", "seats_304", "login_page", "login", "hold", "pay", "gateway"]
    order += ["callback", "booking_page"]
    for name in sorted(tally.kinds, key=lambda n: order.index(n) if n in order else len(order)):
        kind = tally.kinds[name]
        count = len(kind.latencies)
        p50, p99_kind = statistics.median(kind.latencies), percentile(kind.latencies, 99)
        label = f"{name} (in bench)" if name == "gateway" else name
        print(
            f"{label:<18} {count:>7} {count / elapsed:>7.1f} {ms(p50):>10} {ms(p99_kind):>10} {kind.errors:>6}"
            f" {kind.statuses[409]:>5} {kind.statuses[429]:>5}  {dict(sorted(kind.statuses.items(), key=str))}"
        )
        by_kind[name] = {
            "count": count,
            "rps": round(count / elapsed, 1),
            "p50_ms": round(p50 * 1000, 1),
            "p99_ms": round(p99_kind * 1000, 1),
            "errors": kind.errors,
            "conflicts": kind.statuses[409],
            "rate_limited": kind.statuses[429],
        }
    nodes = " · ".join(f"node {node}: {count} ({count / elapsed:,.0f}/s)" for node, count in sorted(tally.per_node.items()))
    print(f"per node            {nodes}")
    print(f"customers           {dict(tally.outcomes.most_common())}; cancelled after the grace period {cancelled}")
    print(
        f"load generator      {client_cpu:.1f} CPU s = {client_cpu / elapsed:.0%} of one core; event-loop lag"
        f" p50 {ms(statistics.median(lag) if lag else 0)}, p99 {ms(percentile(lag, 99) if lag else 0)}"
    )
    for sample in tally.error_samples:
        print(f"error               {sample}")
    payments_match = check["paid"] == check["confirmed"]
    print(
        f"database check      seats sold {check['sold']} = in confirmed bookings {check['confirmed_seats']}"
        f" ({'equal' if check['sold'] == check['confirmed_seats'] else 'DIFFERENT'}); seats in two confirmed bookings"
        f" {check['double_sold']}; sold seats outside their confirmed booking {check['sold_outside_booking']};"
        f" payments paid {check['paid']} vs confirmed bookings {check['confirmed']}"
        f" ({'equal' if payments_match else 'DIFFERENT'}); confirmations the customers saw {len(tally.confirmed)}"
    )
    summary(
        "opening_night",
        customers=args.customers,
        duration_s=round(elapsed, 1),
        requests=requests,
        rps=round(requests / elapsed, 1),
        answered_rps=round((requests - unanswered) / elapsed, 1),
        errors=errors,
        double_sold=check["double_sold"] + check["sold_outside_booking"],
        payments_match=payments_match,
        confirmed=check["confirmed"],
        p99_ms=round(p99 * 1000, 1),
        nodes=args.nodes,
        by_kind=by_kind,
    )
    if check["double_sold"] or check["sold_outside_booking"] or check["sold"] != check["confirmed_seats"] or not payments_match:
        sys.exit("FAILED: a seat was sold twice or payments and confirmed bookings differ")


if __name__ == "__main__":
    main()
