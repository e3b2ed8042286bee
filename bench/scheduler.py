"""Benchmark: the showtime scheduler creating 500 shows (10 screens × 10 days × 5 times).

Runs on a throwaway SQLite file by default, or on PostgreSQL with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/marquee_bench (created and migrated when
missing; the other benches' pages there are left alone: this run's pages have slugs of their
own). Prints the time for the whole run, per show, and a bare reference in the same run:
inserting the same number of seat rows with no pages around them. Ends with one JSON line; its
`ratio` is the scheduler's time over the reference's (lower is better).

    .venv/bin/python bench/scheduler.py [--days 10]

``--days`` fewer than 10 schedules fewer shows (10 screens × days × 5 times), for a quick check.
"""

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from harness import ensure_database, summary  # noqa: E402  (bench/harness.py: this folder is on the path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
if "DATABASE_URL" not in os.environ:
    TMP = tempfile.mkdtemp(prefix="scheduler-bench-")
    atexit.register(shutil.rmtree, TMP, ignore_errors=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def setup_site():
    from cinema.models import Language, MovieIndexPage, MoviePage, Screen, SeatLayout, TheaterIndexPage, TheaterPage
    from home.models import HomePage

    stamp = time.strftime("%Y%m%d%H%M%S")
    home = HomePage.objects.get()
    movies = home.add_child(instance=MovieIndexPage(title="Movies", slug=f"movies-{stamp}"))
    theaters = home.add_child(instance=TheaterIndexPage(title="Theaters", slug=f"theaters-{stamp}"))
    hindi, _ = Language.objects.get_or_create(name="Hindi")
    rows = [
        ("row", {"label": label, "seats": 20, "category": "Classic" if label < "J" else "Recliner"}) for label in "ABCDEFGHIJKLM"
    ]
    layout = SeatLayout(
        name=f"Bench 260 {stamp}", categories=[("category", {"name": "Recliner"}), ("category", {"name": "Classic"})], rows=rows
    )
    layout.save()
    theater = TheaterPage(title="Bench Plaza", city="Mumbai", address="1 Bench Road")
    theater.screens = [Screen(name=f"Screen {n}", seat_layout=layout) for n in range(1, 11)]
    theaters.add_child(instance=theater)
    movie = movies.add_child(instance=MoviePage(title="Benchmark", slug="benchmark", runtime_minutes=150))
    movie.languages.add(hindi)
    movie.save()  # ParentalManyToMany is written on save
    return movie, list(theater.screens.all()), hindi, layout.capacity


def main():
    from cinema.scheduler import ScheduleRequest, schedule_shows
    from ticketing.models import ShowSeat

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=10, help="days scheduled (default 10: 500 shows)")
    args = parser.parse_args()
    if connection.vendor == "postgresql":
        ensure_database(os.environ["DATABASE_URL"], "bench/scheduler.py")
    call_command("migrate", verbosity=0)
    movie, screens, hindi, capacity = setup_site()
    first = date.today() + timedelta(days=30)
    request = ScheduleRequest(
        movie=movie,
        screens=screens,
        first_day=first,
        last_day=first + timedelta(days=args.days - 1),
        times=[clock(9), clock(12), clock(15), clock(18), clock(21)],
        language=hindi,
        format="2D",
        prices={"Recliner": Decimal("450"), "Classic": Decimal("220")},
    )
    started = time.perf_counter()
    result = schedule_shows(request)
    elapsed = time.perf_counter() - started
    again = time.perf_counter()
    repeat = schedule_shows(request)
    repeat_elapsed = time.perf_counter() - again

    # Bare reference: the same number of seat rows, inserted with no pages, revisions or checks.
    show_id = result.created[0].pk
    rows = [
        (show_id, f"Z{n}", "available", "Z", n % 1000 + 1, 99, n % 1000, "Classic", False, False)
        for n in range(len(result.created) * capacity)
    ]
    ref_started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO ticketing_showseat"
            ' (show_id, label, state, row, number, row_index, "column", category, wheelchair, companion)'
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
        transaction.set_rollback(True)
    reference = time.perf_counter() - ref_started

    print(f"database            {connection.vendor}")
    seats = ShowSeat.objects.filter(show__in=result.created).count()
    print(f"shows created       {len(result.created)} ({seats} seats)")
    print(f"scheduler total     {elapsed:.1f} s  ({elapsed / len(result.created) * 1000:.0f} ms per show)")
    print(f"re-run (all skip)   {repeat_elapsed:.2f} s  ({len(repeat.skipped)} skipped, {len(repeat.created)} created)")
    print(f"bare executemany    {reference:.1f} s  inserting the same {len(rows)} seat rows, no pages (reference)")
    summary(
        "scheduler",
        database=connection.vendor,
        shows=len(result.created),
        seconds=elapsed,
        per_show_ms=elapsed / len(result.created) * 1000,
        rerun_s=repeat_elapsed,
        reference_s=reference,
        ratio=elapsed / reference,
    )


if __name__ == "__main__":
    main()
