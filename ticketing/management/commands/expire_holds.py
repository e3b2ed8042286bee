"""Tidy holds that have run out (the cluster runs this every minute; safe to run any time)."""

from django.core.management.base import BaseCommand

from ticketing.services.holds import expire_holds


class Command(BaseCommand):
    help = "Free seats of holds past their time and mark those bookings expired (bulk, idempotent)."

    def handle(self, *args, **options):
        seats, bookings = expire_holds()
        if options["verbosity"]:
            self.stdout.write(f"Freed {seats} seats; {bookings} holds expired.")
