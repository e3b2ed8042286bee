"""Serve the site with its django-q2 task cluster beside it: one command for the demo."""

import atexit
import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development server and the django-q2 cluster together (Ctrl-C stops both)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-cluster", action="store_true", help="Serve without the task cluster.")

    def handle(self, *args, **options):
        # runserver's autoreloader re-runs this command in a child (RUN_MAIN=true): start the
        # cluster only once, in the parent, and stop it when the parent exits.
        if not options["no_cluster"] and os.environ.get("RUN_MAIN") != "true":
            cluster = subprocess.Popen([sys.executable, "manage.py", "qcluster"])
            atexit.register(cluster.terminate)
            # Stopped by a signal other than Ctrl-C: exit normally so atexit stops the cluster.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            self.stdout.write(self.style.SUCCESS(f"Task cluster started (pid {cluster.pid})."))
        call_command("runserver", options["addrport"])
