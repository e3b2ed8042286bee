"""Production hardening: `check --deploy` is clean with the documented environment, the public
site sends a Content-Security-Policy that still lets Razorpay Checkout load, /healthz reports
the database and broker, and production logs are JSON lines carrying the booking reference."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.log_format import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]
# The production environment docs/operations.md documents (no Razorpay keys: check --deploy
# does not need them; the sandbox refuses to load only when a payment is made).
DOCUMENTED_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "tickets.example.com",
    "DATABASE_URL": "sqlite:///" + str(ROOT / "db-check-deploy.sqlite3"),
    "EMAIL_ESP": "postmark",
    "ANYMAIL_POSTMARK_SERVER_TOKEN": "server-token",
    "MARQUEE_SITE_URL": "https://tickets.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/8",
    "MARQUEE_TRUSTED_PROXY_COUNT": "1",
}


def test_check_deploy_reports_nothing_with_the_documented_environment():
    env = clean_env()
    env.update(DOCUMENTED_ENV)
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def clean_env() -> dict[str, str]:
    """This machine's environment without anything a test's settings should not inherit."""
    own = ("RAZORPAY_", "DJANGO_", "EMAIL_", "MARQUEE_", "REDIS_", "SENTRY_", "ANYMAIL_", "MEDIA_", "AWS_", "TICKETS_")
    return {k: v for k, v in os.environ.items() if not k.startswith(own)}


def test_production_refuses_a_weak_secret_key():
    env = {**clean_env(), **DOCUMENTED_ENV, "SECRET_KEY": "short"}
    out = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr


@pytest.mark.django_db
def test_public_pages_send_a_csp_that_allows_razorpay_checkout(client):
    header = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    assert "https://checkout.razorpay.com" in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "https://api.razorpay.com" in directives["frame-src"]
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'self'"


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def broken():
        raise OSError("could not connect to server")

    monkeypatch.setattr("home.health._database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "failing"


def test_json_log_lines_carry_the_booking_reference():
    record = logging.LogRecord("marquee.payments", logging.INFO, __file__, 1, "payment confirmed %s", ("ok",), None)
    record.booking = "MQABCDEFGH"
    line = json.loads(JsonFormatter().format(record))
    assert line["booking"] == "MQABCDEFGH" and line["message"] == "payment confirmed ok" and line["level"] == "INFO"


def test_database_connections_are_checked_before_reuse(settings):
    """A connection PostgreSQL or a pooler closed while it sat idle is replaced, not a 500."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
