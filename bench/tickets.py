"""Benchmark: ticket PDFs and the hold-expiry sweep, on PostgreSQL.

1. PDF render time per booking for 1, 4 and 10 tickets (the app's own render_booking_pdf,
   one WeasyPrint document per booking, after one warm-up render as a running worker has):
   p50 / p99 over --runs renders each, and ms per ticket.
2. The expiry sweep (ticketing.services.holds.expire_holds, the job the schedule runs every
   minute) over 100,000 expired held seats (20,000 bookings of 5 seats), written straight
   into the database with generate_series; only the sweep is timed (`sweep_s`, one call).
   The sweep closes the bookings and leaves the seat rows, which already read as free. The
   database check after it: every one of those bookings expired, no seat still reads as
   held.

    .venv/bin/python bench/tickets.py [--runs 20] [--expired 100000]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/marquee_bench (created and
migrated when missing).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from harness import ensure_database, ms, percentile, setup_show, summary  # noqa: E402  (bench/ is on the path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marquee_bench")
os.environ.setdefault("LOG_LEVEL", "WARNING")
ensure_database(os.environ["DATABASE_URL"], "tickets")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402


def confirmed_booking(show, user, labels):
    """A confirmed booking with its tickets and frozen price, as the finalizer leaves it."""
    from ticketing.models import Booking, BookingState, ShowSeat
    from ticketing.services.pricing import quote
    from ticketing.services.tickets import issue_tickets

    booking = Booking.objects.create(user=user, show=show, seats=labels, state=BookingState.HELD)
    price = quote(booking)
    booking.state, booking.total, booking.price_breakdown = BookingState.CONFIRMED, price.total, price.as_api()
    booking.confirmed_at = timezone.now()
    booking.save()
    ShowSeat.objects.filter(show=show, label__in=labels).update(state="sold", booking=booking)
    issue_tickets(booking)
    return booking


def bench_pdf(runs: int) -> dict:
    from django.contrib.auth import get_user_model

    from ticketing.services.ticket_pdf import render_booking_pdf

    stamp = str(int(time.time()))
    show = setup_show(stamp, "Tickets Bench")
    user, _ = get_user_model().objects.get_or_create(username="pdf-bench", defaults={"email": "pdf-bench@example.com"})
    print(f"PDF render (WeasyPrint {__import__('weasyprint').__version__}), {runs} renders each, after one warm-up:")
    render_booking_pdf(confirmed_booking(show, user, ["J1"]))  # warm-up: fonts, templates
    figures = {}
    for count, row in ((1, "A"), (4, "B"), (10, "C")):
        booking = confirmed_booking(show, user, [f"{row}{n}" for n in range(1, count + 1)])
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            pdf = render_booking_pdf(booking)
            times.append(time.perf_counter() - started)
        p50 = percentile(times, 50)
        print(
            f"  {count:>2} ticket(s): p50 {ms(p50)}, p99 {ms(percentile(times, 99))}, "
            f"{ms(p50 / count)} per ticket, {len(pdf) // 1024} KiB"
        )
        figures[f"pdf_{count}_p50_ms"] = p50 * 1000
        figures[f"pdf_{count}_p99_ms"] = percentile(times, 99) * 1000
    return figures


SEED_SWEEP = """
WITH users AS (
    INSERT INTO auth_user (username, password, is_superuser, first_name, last_name, email, is_staff, is_active, date_joined)
    SELECT 'sweep-' || %(stamp)s || '-' || n, '!', false, '', '', '', false, true, now()
    FROM generate_series(1, %(bookings)s) AS n RETURNING id
), bookings AS (
    INSERT INTO ticketing_booking (reference, user_id, show_id, state, seats, held_until, total, wallet_amount,
        gateway_amount, payment_mode, price_breakdown, needs_attention, attention_note, tickets_pdf, channel, has_items,
        business_gstin, business_name, cancelled_value, created_at, updated_at)
    SELECT 'S' || substr(md5(random()::text || id::text), 1, 11), id, %(show)s, 'held', '[]'::jsonb, %(past)s, NULL, 0, 0, '',
        '{}'::jsonb, false, '', '', 'online', false, '', '', 0, now(), now()
    FROM users RETURNING id
), numbered AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM bookings
)
INSERT INTO ticketing_showseat (show_id, label, "row", number, row_index, "column", category, wheelchair, companion, state,
    held_until, booking_id)
SELECT %(show)s, 'S' || (k * %(per)s + s), 'S', 1, 30000, (k * %(per)s + s) %% 30000, 'Classic', false, false, 'held', %(past)s, id
FROM numbered, generate_series(1, %(per)s) AS s
"""


def seed_backlog(expired: int, name: str):
    per = 5
    stamp = str(int(time.time() * 1000))
    show = setup_show(stamp, name)
    past = timezone.now() - timezone.timedelta(minutes=1)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SEED_SWEEP, {"stamp": stamp, "bookings": expired // per, "show": show.pk, "past": past, "per": per})
        cursor.execute("ANALYZE ticketing_showseat; ANALYZE ticketing_booking")
    print(
        f"\n{name}: {expired:,} expired held seats in {expired // per:,} bookings (seeded in {ms(time.perf_counter() - started)})"
    )
    return show


def check_swept(show, expired_bookings: int) -> int:
    """Problems left: bookings still held, seats still reading as held (a live held_until)."""
    from ticketing.models import Booking, ShowSeat

    still = Booking.objects.filter(show=show, state="held").count()
    live = ShowSeat.objects.filter(show=show, state="held", held_until__gte=timezone.now()).count()
    print(f"  check: held bookings left {still}, seats still reading as held {live} (both must be 0)")
    return still + live + (expired_bookings == 0)


def bench_sweep(expired: int) -> dict:
    from ticketing.services.holds import expire_holds

    show = seed_backlog(expired, "Expiry sweep")
    started = time.perf_counter()
    _, bookings = expire_holds()
    took = time.perf_counter() - started
    print(f"  expire_holds(): {ms(took)}, {bookings:,} bookings expired; their {expired:,} seat rows left as they are")
    return {"sweep_s": took, "sweep_bookings": bookings, "left": check_swept(show, bookings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--expired", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    figures = bench_pdf(args.runs)
    figures.update(bench_sweep(args.expired))
    summary("tickets", **figures)
    if figures["left"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
