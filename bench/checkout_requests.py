"""Benchmark: one checkout's requests, one at a time — SQL statements and time per request.

Unlike bench/checkout.py this needs no quiet machine: it counts the statements each request
type sends (hold, pay, callback, and the sandbox's own pay step) through Django's test Client
and the full middleware stack on PostgreSQL, and times each request over a few dozen
bookings (median). ``--profile hold|pay|callback`` prints a cProfile of that request type;
``--sql`` prints every statement of one booking.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marquee_perf .venv/bin/python bench/checkout_requests.py

django-q2's cluster is not started: the on_commit enqueue (one INSERT into the ORM broker's
queue) is counted, the e-mail/PDF work it queues is not.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="checkout-requests-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
SETTINGS_MODULE = "checkout_requests_settings"
(TMP / f"{SETTINGS_MODULE}.py").write_text(
    textwrap.dedent(
        """
        from config.settings.base import *  # noqa: F403

        DEBUG = False
        ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
        MARQUEE_HOLD_RATE = 0
        """
    )
)
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(TMP), str(ROOT), str(ROOT / "bench")]
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marquee_perf")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from harness import ensure_database, setup_show, summary  # noqa: E402
from statement_counts import one_booking  # noqa: E402

ensure_database(os.environ["DATABASE_URL"], "checkout_requests")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def customers(count: int):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    User = get_user_model()
    users = []
    for n in range(1, count + 1):
        email = f"requests{n}@example.com"
        user, _ = User.objects.get_or_create(username=email, defaults={"email": email})
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        users.append(user)
    return users


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bookings", type=int, default=40)
    parser.add_argument("--profile", choices=["hold", "pay", "gateway", "callback"])
    parser.add_argument("--profile-out", help="with --profile: also write the raw profile to this file")
    parser.add_argument("--sql", action="store_true", help="print the statements of one booking")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    show = setup_show(f"{stamp}-requests", "Checkout Bench")
    users = customers(args.bookings)
    clients = []
    for user in users:
        client = Client(enforce_csrf_checks=False)
        client.force_login(user)
        # as a customer who opened a page: session.js asked who is signed in, which read (and
        # cached) the user row; it also builds this client's middleware chain, which gunicorn
        # builds once per process, so it is not counted in the first request measured
        assert client.get("/api/session").status_code == 200
        clients.append(client)
    labels = [f"{r}{n}" for r in "ABCDEFGHIJ" for n in range(1, 26)]
    record: dict = {}
    profiler = cProfile.Profile(time.process_time)  # CPU time: a shared machine's waits are not counted
    # Warm up (imports, URLconf, caches) on the first customer; not counted.
    one_booking(clients[0], show.pk, [labels.pop()], {}, None, profiler)
    for client in clients[1:]:
        one_booking(client, show.pk, [labels.pop(), labels.pop()], record, args.profile, profiler)

    print(f"{len(clients) - 1} bookings of 2 seats, one at a time, Django test Client, PostgreSQL")
    for name, runs in record.items():
        times = [run[0] for run in runs]
        counts = [len(run[1]) for run in runs]
        cpu = [run[2] for run in runs]
        print(
            f"{name:10} statements {statistics.median(counts):4.0f} (min {min(counts)}, max {max(counts)})"
            f" · median {statistics.median(times) * 1000:6.2f} ms · min {min(times) * 1000:6.2f} ms"
            f" · CPU median {statistics.median(cpu) * 1000:6.2f} ms"
        )
    if args.sql:
        for name, runs in record.items():
            print(f"--- {name}")
            for sql in runs[-1][1]:
                print("  ", sql[:220])
    if args.profile:
        if args.profile_out:
            profiler.dump_stats(args.profile_out)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        print(out.getvalue())
    counts = {name: int(statistics.median(len(run[1]) for run in runs)) for name, runs in record.items()}
    summary(
        "checkout_requests",
        hold=counts["hold"],
        pay=counts["pay"],
        sandbox=counts["gateway"],
        callback=counts["callback"],
        total=sum(counts.values()),
    )


if __name__ == "__main__":
    main()
