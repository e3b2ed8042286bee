"""Smoke tests for the benchmarks in bench/: each script runs as a subprocess at its smallest
size and must exit 0 and end with its JSON line, its correctness figures (errors, seats sold
twice, payments against confirmed bookings, held seats left by the sweep) at their only right
value. Nothing here reads a timing figure: the benches' speed is measured by running them at
full size (docs/performance.md), never by the suite.

The PostgreSQL benches get a database of their own, one per pytest-xdist worker, named after
the suite's DATABASE_URL with ``marquee_bench_smoke`` in place of its database name: never a
developer's bench database nor the test databases. It is dropped before the module (left from
an interrupted run) and after it, so every run starts from an empty database that the first
bench creates and migrates as a developer's first run would (about 12 s of the module's time,
once per worker; a reused database would skip that but gather every run's shows and
customers). bench/opening_night.py needs Redis: it gets databases 6 (broker) and 7 (cache),
which no test uses, emptied before and after it. bench/scheduler.py runs on its default, a
throwaway SQLite file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import psycopg
import pytest
import redis
from django.db import connection
from psycopg import sql

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: the benches run on it (DATABASE_URL=postgres://...)"
    ),
    pytest.mark.postgres,
]

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
TIMEOUT_S = 300  # a hung bench fails the test instead of the whole run; not a speed limit
REDIS_BROKER = "redis://127.0.0.1:6379/6"  # the cache takes the next database, 7 (config/redis_urls.py)
REDIS_CACHE = "redis://127.0.0.1:6379/7"
# Settings and services each bench chooses itself, or must not see (the paying benches refuse
# to run with Razorpay keys set).
NOT_PASSED_ON = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "REDIS_CACHE_URL",
    "RAZORPAY_KEY_ID",
    "RAZORPAY_KEY_SECRET",
    "RAZORPAY_WEBHOOK_SECRET",
)
HELPERS = {"harness.py", "statement_counts.py"}  # imported by the benches, not run on their own


@dataclass(frozen=True)
class Bench:
    script: str
    args: tuple[str, ...]
    expect: dict = field(default_factory=dict)  # JSON figures that must read exactly so
    sqlite: bool = False  # runs on a throwaway SQLite file instead of the smoke database
    redis: bool = False


BENCHES = [
    Bench("tickets.py", ("--runs", "1", "--expired", "100"), {"left": 0}),
    Bench("hold_cpu.py", ("--shows", "1", "--bare", "50"), {"errors": 0}),
    Bench(
        "hold_storm.py",
        ("--customers", "4", "--storms", "1", "--bare", "50", "--workers", "1", "--threads", "2"),
        {"errors": 0, "double_sold": 0},
    ),
    Bench(
        "seat_map.py",
        ("--clients", "2", "--requests", "50", "--misses", "2", "--workers", "1", "--threads", "2"),
        {"errors": 0},
    ),
    Bench(
        "checkout.py",
        ("--customers", "4", "--workers", "1", "--threads", "2"),
        {"errors": 0, "double_sold": 0, "payments_match": True},
    ),
    Bench("checkout_requests.py", ("--bookings", "2")),
    Bench(
        "opening_night.py",
        ("--customers", "20", "--duration", "10", "--nodes", "1", "--workers", "1", "--threads", "2", "--shows", "1"),
        {"errors": 0, "double_sold": 0, "payments_match": True},
        redis=True,
    ),
    Bench("scheduler.py", ("--days", "1"), sqlite=True),
    # and on the database the other benches share: its pages must not collide with theirs
    Bench("scheduler.py", ("--days", "1")),
]


@pytest.fixture(scope="module")
def bench_database():
    """The smoke database's URL; dropped before and after the module."""
    name = "marquee_bench_smoke"
    if worker := os.environ.get("PYTEST_XDIST_WORKER"):
        name = f"{name}_{worker}"
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    drop_database(url)
    yield url
    drop_database(url)


def drop_database(url: str) -> None:
    config = dj_database_url.parse(url)
    params = {"host": config["HOST"], "port": config["PORT"], "user": config["USER"], "password": config["PASSWORD"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [config["NAME"]])
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(config["NAME"])))


@pytest.fixture
def redis_databases():
    """Redis databases 6 and 7, empty; skips when Redis does not answer."""
    clients = [redis.Redis.from_url(url, socket_connect_timeout=1) for url in (REDIS_BROKER, REDIS_CACHE)]
    try:
        clients[0].ping()
    except redis.RedisError:
        pytest.skip("needs Redis at 127.0.0.1:6379 (CI starts one)")
    for client in clients:
        client.flushdb()
    yield
    for client in clients:
        client.flushdb()
        client.close()


def tail(text: str, limit: int = 3000) -> str:
    return text[-limit:] if text.strip() else "(empty)"


def run_bench(bench: Bench, env: dict[str, str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr). The bench runs in a session of its own, so a hung one is
    stopped with everything it started (gunicorn): interrupted first, so its cleanup runs and
    its output is flushed, killed if that does not end it."""
    command = [sys.executable, str(BENCH / bench.script), *bench.args]
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGINT)
            try:
                stdout, stderr = process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                stdout, stderr = process.communicate()
            pytest.fail(
                f"{bench.script} did not finish within {TIMEOUT_S} s\n--- stdout\n{tail(stdout)}\n--- stderr\n{tail(stderr)}"
            )
    return process.returncode, stdout, stderr


def _id(bench: Bench) -> str:
    return bench.script.removesuffix(".py") + ("-sqlite" if bench.sqlite else "")


@pytest.mark.parametrize("bench", [pytest.param(bench, id=_id(bench)) for bench in BENCHES])
def test_bench_runs(bench: Bench, bench_database, tmp_path, request):
    env = {key: value for key, value in os.environ.items() if key not in NOT_PASSED_ON}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'bench.sqlite3'}" if bench.sqlite else bench_database
    scratch = tmp_path / "tmp"  # the bench's temporary files, which it must remove
    scratch.mkdir()
    env["TMPDIR"] = str(scratch)
    if bench.redis:
        request.getfixturevalue("redis_databases")
        env["REDIS_URL"] = REDIS_BROKER

    code, stdout, stderr = run_bench(bench, env)

    why = f"\n--- stdout\n{tail(stdout)}\n--- stderr\n{tail(stderr)}"
    assert code == 0, f"{bench.script} exited {code}{why}"
    lines = stdout.strip().splitlines()
    try:
        figures = json.loads(lines[-1])
    except (IndexError, ValueError):
        figures = None
    assert isinstance(figures, dict), f"{bench.script}'s last line is not a JSON object{why}"
    assert figures.get("bench") == bench.script.removesuffix(".py"), why
    wrong = {
        key: figures.get(key, "(missing)")
        for key, value in bench.expect.items()
        if key not in figures or type(figures[key]) is not type(value) or figures[key] != value
    }
    assert not wrong, f"{bench.script}: {wrong}, expected {bench.expect}{why}"
    assert not any(scratch.iterdir()), f"{bench.script} left {sorted(p.name for p in scratch.iterdir())} in its TMPDIR"


def test_every_bench_is_smoke_tested():
    """A script added to bench/ is run here too, or listed as a helper."""
    scripts = {path.name for path in BENCH.glob("*.py")}
    assert scripts - HELPERS == {bench.script for bench in BENCHES}
