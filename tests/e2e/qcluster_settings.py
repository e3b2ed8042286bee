"""Settings for the ``manage.py qcluster`` process the e2e journeys start (tests/e2e/cluster.py).

The test settings, except that tasks go through the broker (not sync), the database is the
live server's test database, mail is written to files the test reads (the in-memory outbox
of another process is out of reach), and ticket PDFs go to a directory the live server
shares. Short timeouts keep a journey quick; the scheduler is off so every run does the same
work (its first pass would come 30 s in, mid-journey or not at all).
"""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES, Q_CLUSTER, STORAGES

DATABASES["default"]["NAME"] = os.environ["MARQUEE_E2E_DATABASE"]
Q_CLUSTER = {
    **Q_CLUSTER,
    "sync": False,
    "cluster_name": os.environ["MARQUEE_E2E_QUEUE"],
    "workers": 1,
    "poll": 0.1,
    "guard_cycle": 0.2,
    "timeout": 20,
    "retry": 25,
    "scheduler": False,
}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["MARQUEE_E2E_MAIL_DIR"]
STORAGES = {
    **STORAGES,
    "tickets": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ["MARQUEE_E2E_TICKETS_DIR"]},
    },
}
