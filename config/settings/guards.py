"""What production settings refuse to start without.

Each rule answers the variable it is about and what is wrong with it, so the one error an operator
sees at start-up (gunicorn, qcluster, `manage.py check --deploy`, any command) names everything
to fix at once, instead of the site starting on a development default: mail printed to a
console, e-mail links to 127.0.0.1, rate limits counted per worker process, every customer
sharing the load balancer's address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from core.client_ip import proxy_count

LOCAL_HOSTS = {"localhost", "localhost.localdomain", "testserver"}


def _secret_key(env: Mapping[str, str]) -> str | None:
    key = env.get("SECRET_KEY", "")
    if len(key) < 50 or key.startswith("dev-only"):
        return "SECRET_KEY: a random string of at least 50 characters"
    return None


def _email_esp(env: Mapping[str, str]) -> str | None:
    if not env.get("EMAIL_ESP", "").strip():
        return "EMAIL_ESP: the Anymail provider that sends tickets (e.g. postmark), or EMAIL_ESP=console to print mail instead"
    return None


def _is_local(host: str) -> bool:
    if host in LOCAL_HOSTS or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_private or address.is_link_local


def _site_url(env: Mapping[str, str]) -> str | None:
    url = env.get("MARQUEE_SITE_URL", "").strip()
    wanted = "MARQUEE_SITE_URL: the public https:// address customers use (it goes into every e-mail)"
    if not url:
        return wanted
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return f"{wanted}; {url!r} is not a URL"
    if parts.scheme != "https" or not host or _is_local(host):
        return f"{wanted}; {url!r} is not a public https address"
    return None


def _redis_url(env: Mapping[str, str]) -> str | None:
    if not env.get("REDIS_URL", "").strip():
        return "REDIS_URL: the Redis shared by every web and worker process (task broker, rate limits, cache)"
    return None


def _proxy_count(env: Mapping[str, str]) -> str | None:
    value = env.get("MARQUEE_TRUSTED_PROXY_COUNT")
    wanted = "MARQUEE_TRUSTED_PROXY_COUNT: how many proxies in front of the app append to X-Forwarded-For (0 for none)"
    if value is None or not value.strip():
        return wanted
    try:
        proxy_count(value)  # the same reading base settings make of it
    except ImproperlyConfigured:
        return f"{wanted}; {value!r} is not a whole number"
    return None


def _messaging(env: Mapping[str, str]) -> str | None:
    """Twilio chosen: its credentials and a sender (a Messaging Service or a sender id) are needed,
    or every text would fail at its first send."""
    backend = env.get("MESSAGING_BACKEND", "").strip().lower() or "console"
    if backend not in ("console", "twilio"):
        return f"MESSAGING_BACKEND: console or twilio, not {backend!r}"
    if backend != "twilio":
        return None
    missing = [name for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN") if not env.get(name, "").strip()]
    if not (env.get("TWILIO_MESSAGING_SERVICE_SID", "").strip() or env.get("MESSAGING_SMS_SENDER", "").strip()):
        missing.append("TWILIO_MESSAGING_SERVICE_SID or MESSAGING_SMS_SENDER")
    if missing:
        return f"MESSAGING_BACKEND=twilio needs {', '.join(missing)}"
    return None


RULES = (_secret_key, _email_esp, _site_url, _redis_url, _proxy_count, _messaging)


def production_problems(env: Mapping[str, str]) -> list[str]:
    """Every unsafe or missing production variable in `env`, as 'NAME: what it must be'."""
    return [problem for rule in RULES if (problem := rule(env))]


def refusal_message(problems: list[str]) -> str:
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return f"Production settings refuse to start. Set these environment variables (see .env.example):\n{lines}"
