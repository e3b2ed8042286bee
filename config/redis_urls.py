"""Which Redis database the cache uses when only REDIS_URL is given.

The broker keeps REDIS_URL's database (0 when the URL names none); the cache takes the next
one. RedisCache.clear() is a FLUSHDB, so sharing a database would let a cache clear drop every
queued task."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

LAST_DATABASE = 15  # Redis's default `databases 16`


def database_of(url: str) -> int:
    """The database number a redis:// or rediss:// URL selects (path, else `?db=`, else 0)."""
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(f"REDIS_URL must start with redis:// or rediss://, not {url!r}.")
    number = parts.path.strip("/") or dict(parse_qsl(parts.query)).get("db", "0")
    if not number.isdigit():
        raise ImproperlyConfigured(f"REDIS_URL names database {number!r}; it must be a number.")
    return int(number)


def cache_url_for(broker_url: str) -> str:
    """`broker_url` pointed at the next database number, for the cache."""
    number = database_of(broker_url) + 1
    if number > LAST_DATABASE:
        raise ImproperlyConfigured(f"REDIS_URL uses database {number - 1}; set REDIS_CACHE_URL to a different database.")
    parts = urlsplit(broker_url)
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query) if key != "db"])
    return urlunsplit((parts.scheme, parts.netloc, f"/{number}", query, parts.fragment))
