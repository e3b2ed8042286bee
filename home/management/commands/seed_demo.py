"""Build the Marquee demo site: films, theaters, a week of shows and staff logins.

    python manage.py seed_demo [--days 7] [--customers N] [--no-progress]

Safe to run again: everything is looked up before it is created, so a second run adds nothing
(and a run on a later day only adds the shows of the days that are new).
"""

import logging
import sys
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from cinema.models import MovieIndexPage, MoviePage, Screen, ShowPage, TheaterIndexPage, TheaterPage
from cinema.scheduler import PAST_REASON
from home.demo import build, content
from home.demo import customers as demo_customers
from home.demo import price_cards as demo_prices
from home.roles import ensure_groups
from ticketing.models import ShowSeat
from ticketing.services.counter_shifts import counter_name_for


@contextmanager
def quiet_audit_log(verbosity):
    """Wagtail logs every page it creates at INFO; hundreds of shows would drown the summary."""
    logger = logging.getLogger("wagtail")
    level = logger.level
    if verbosity < 2:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = "Create (or top up) the demo cinema site: movies, theaters, seat layouts, showtimes and staff logins."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Days of showtimes to schedule, starting today (default 7).")
        parser.add_argument(
            "--customers",
            type=int,
            default=0,
            metavar="N",
            help=f"Also create N verified demo customers, customer1@example.com … customerN@example.com, "
            f"password {demo_customers.PASSWORD!r} (default 0).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, days, no_progress, verbosity, customers=0, **options):
        if not 1 <= days <= settings.MARQUEE_SCHEDULER_MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {settings.MARQUEE_SCHEDULER_MAX_DAYS}.")
        if not 0 <= customers <= demo_customers.MAX_CUSTOMERS:
            raise CommandError(f"--customers must be between 0 and {demo_customers.MAX_CUSTOMERS}.")
        today = timezone.localdate()
        hidden = no_progress or verbosity == 0 or not sys.stderr.isatty()
        steps = 8 + len(content.MOVIES) + len(content.THEATERS)  # one per step() call below, plus the shows
        with (
            transaction.atomic(),
            quiet_audit_log(verbosity),
            tqdm(total=steps, unit="step", disable=hidden, file=sys.stderr) as bar,
        ):

            def step(label):
                bar.set_description(label)
                bar.update()

            logins = build.ensure_users(ensure_groups())
            user = build.author()
            step("Users and groups")
            customer_logins = demo_customers.ensure_customers(customers)
            step("Customers")
            snippets = build.ensure_snippets()
            step("Genres, languages, amenities, seat layouts")
            home = build.home_page()
            build.ensure_home(home, user)
            step("Home page")
            movie_index = build.ensure_index(home, MovieIndexPage, content.MOVIE_INDEX, user)
            theater_index = build.ensure_index(home, TheaterIndexPage, content.THEATER_INDEX, user)
            step("Index pages")
            movies = {}
            for spec in content.MOVIES:
                movies[spec["title"]] = build.ensure_movie(movie_index, spec, snippets, today, user)
                step(spec["title"])
            theaters = []
            for spec in content.THEATERS:
                theaters.append(build.ensure_theater(theater_index, spec, snippets, user))
                step(spec["title"])

            build.ensure_menu(theaters)
            step("Food and drinks menu")
            demo_prices.ensure_holidays()
            demo_prices.ensure_price_cards(theaters)
            step("Price cards and holidays")
            runs = build.plan_rotas(build.now_showing(movies, today), build.screens_of(theaters), snippets.languages)
            step("Planned the showtimes")
            bar.total += len(runs)
            results = []
            for run in runs:
                results.append(build.schedule_run(run, today, days, user))
                step(f"Shows: {run.movie.title}")
        self.report(build.tally(results), results, logins, verbosity, customer_logins)

    def report(self, totals, results, logins, verbosity, customer_logins=None):
        if verbosity == 0:
            return
        refusals = [refusal for result in results for refusal in result.refused]
        past = [refusal for refusal in refusals if refusal.reason == PAST_REASON]
        for refusal in [r for r in refusals if r.reason != PAST_REASON][:10]:
            self.stderr.write(self.style.WARNING(f"Not scheduled: {refusal.title}: {refusal.reason}"))
        if past:
            self.stdout.write(f"Skipped {len(past)} of today's showtimes that have already started.")
        self.stdout.write(self.style.SUCCESS("\nMarquee demo site is ready."))
        counts = {
            "movies": MoviePage.objects.count(),
            "theaters": TheaterPage.objects.count(),
            "screens": Screen.objects.count(),
            "shows": ShowPage.objects.count(),
            "seats": ShowSeat.objects.count(),
        }
        self.stdout.write("  " + ", ".join(f"{count} {name}" for name, count in counts.items()))
        self.stdout.write(
            f"  This run: {totals.get('created', 0)} shows created, {totals.get('skipped', 0)} already there, "
            f"{totals.get('refused', 0) - len(past)} refused, {len(past)} already started."
        )
        self.stdout.write("\nLogins (admin at /admin/):")
        for login in logins:
            note = "" if login.created else "  (existing user: password not changed)"
            self.stdout.write(f"  {login.username:<10} / {login.password:<14} {login.role}{note}")
        counters = [counter_name_for(title) for title in TheaterPage.objects.order_by("title").values_list("title", flat=True)]
        if counters:
            self.stdout.write(f"  Box office sells at /admin/counter/, one counter per theater: {', '.join(counters)}")
        if customer_logins and customer_logins.count:
            c = customer_logins
            emails = c.first if c.count == 1 else f"{c.first} … {c.last}"
            note = "" if c.created == c.count else f"  ({c.count - c.created} existing: passwords not changed)"
            plural = "s" if c.count != 1 else ""
            self.stdout.write(f"  {emails} / {c.password}  {c.count} verified customer{plural}, at /accounts/login/{note}")
