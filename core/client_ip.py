"""The client's address, the one place our code (and allauth's rate limits) reads it.

Behind a load balancer REMOTE_ADDR is the balancer: every customer would share one address and
one set of per-IP limits. MARQUEE_TRUSTED_PROXY_COUNT says how many proxies of ours each append
one address to X-Forwarded-For, so the client is the entry that many places from the right;
everything left of it was written by the client and is never believed. MARQUEE_CLIENT_IP_HEADER
names a header a trusted edge (e.g. Cloudflare's CF-Connecting-IP) sets instead.

allauth reads the same two values (ALLAUTH_TRUSTED_PROXY_COUNT, ALLAUTH_TRUSTED_CLIENT_IP_HEADER)
but its own reader raises ImproperlyConfigured, a 500, when X-Forwarded-For is shorter than the
count, and refuses the request when the chosen entry is not an address. Here such a request
falls back to REMOTE_ADDR, the TCP peer, which nobody can forge.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # nosec B104: only a rate-limit key, never bound to


def clean_ip(value: str) -> str | None:
    """`value` as a canonical IP address ("1.2.3.4", "[::1]:443" → "::1"), or None if it is not one."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [IPv6] or [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def proxy_count(value: str | None) -> int:
    """MARQUEE_TRUSTED_PROXY_COUNT as a number of proxies: empty is 0, anything else a whole number ≥ 0."""
    value = (value or "").strip()
    if not value:
        return 0
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise ImproperlyConfigured(f"MARQUEE_TRUSTED_PROXY_COUNT must be a whole number of proxies (0 or more), not {value!r}.")
    return count


def _from_forwarded_for(request: HttpRequest, count: int) -> str | None:
    """The entry our nearest `count` proxies vouch for, or None if the header cannot hold it."""
    if count <= 0:
        return None
    entries = request.headers.get("x-forwarded-for", "").split(",")
    if len(entries) < count:
        return None
    return clean_ip(entries[-count])


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as our trusted proxies report it; REMOTE_ADDR when they report none."""
    header = getattr(settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None)
    if header:
        ip = clean_ip(request.headers.get(header, ""))
    else:
        ip = _from_forwarded_for(request, getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0))
    if ip:
        return ip
    return clean_ip(request.META.get("REMOTE_ADDR") or "") or UNKNOWN
