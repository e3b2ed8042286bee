"""With SENTRY_DSN set, production reports errors to Sentry — a failed django-q2 task included,
which django-q2 reports only as an ERROR log line — and sends no personal data. Checked
against a Sentry stand-in listening on loopback that records the envelopes the SDK posts."""

import gzip
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from config.sentry import init_sentry
from tests.hardening.test_production import DOCUMENTED_ENV, ROOT, clean_env

PROBE = """
import logging
import django
django.setup()
import sentry_sdk
from django.conf import settings
assert settings.ADMINS == [("Ops", "ops@example.com"), ("oncall@example.com", "oncall@example.com")], settings.ADMINS
logging.getLogger("django-q").error("Failed 'ticketing.tasks.send_email_task' (four-lima-bravo) - ESP said no")
logging.getLogger("marquee.payments").info("an info line is not an event")
sentry_sdk.flush(timeout=10)
"""


class Collector(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # the SDK compresses with brotli when it is installed (fonttools brings it)

            body = brotli.decompress(body)
        self.server.envelopes.append((self.path, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    server.envelopes = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def events(envelopes):
    found = []
    for _path, body in envelopes:
        for line in body.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and ("logentry" in item or "exception" in item):
                found.append(item)
    return found


def test_a_failed_task_reaches_sentry(sentry_server):
    port = sentry_server.server_address[1]
    env = {
        **clean_env(),
        **DOCUMENTED_ENV,
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/42",
        "SENTRY_ENVIRONMENT": "staging",
        "ADMINS": "Ops <ops@example.com>, oncall@example.com",
        "NO_PROXY": "*",
    }
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert all(path == "/api/42/envelope/" for path, _ in sentry_server.envelopes)
    reported = events(sentry_server.envelopes)
    assert len(reported) == 1
    event = reported[0]
    assert "send_email_task" in event["logentry"]["message"] and event["logger"] == "django-q"
    assert event["environment"] == "staging" and event["level"] == "error"
    assert "user" not in event or "email" not in event["user"]


def test_without_a_dsn_nothing_starts():
    assert init_sentry({}) is False
    assert init_sentry({"SENTRY_DSN": "  "}) is False


def test_a_bad_sample_rate_is_a_clear_error():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="SENTRY_TRACES_SAMPLE_RATE"):
        init_sentry({"SENTRY_DSN": "http://key@127.0.0.1:9/1", "SENTRY_TRACES_SAMPLE_RATE": "lots"})
