"""Close holds that have run out (the cluster runs this every minute; safe to run any time)."""

from django.core.management.base import BaseCommand

from ticketing.services.holds import expire_holds


class Command(BaseCommand):
    help = "Mark bookings whose hold ran out as expired (one statement, idempotent); their seats already read as free."

    def handle(self, *args, **options):
        seats, bookings = expire_holds()
        if options["verbosity"]:
            self.stdout.write(f"{bookings} holds expired, {seats} seats released.")
