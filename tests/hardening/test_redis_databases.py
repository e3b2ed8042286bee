"""The cache and the django-q2 broker live in different Redis databases with a key prefix, so a
cache clear (a FLUSHDB) never drops queued tasks (config/redis_urls.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.redis_urls import cache_url_for, database_of
from tests.ticketing.test_task_system import redis_up

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("broker", "cache"),
    [
        ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
        ("redis://:secret@redis.internal:6380/4", "redis://:secret@redis.internal:6380/5"),
        (
            "rediss://user:pw@cache.example.com:6379/2?ssl_cert_reqs=required",
            "rediss://user:pw@cache.example.com:6379/3?ssl_cert_reqs=required",
        ),
        ("redis://redis/?db=6", "redis://redis/7"),
    ],
)
def test_the_cache_takes_the_next_database(broker, cache):
    assert cache_url_for(broker) == cache
    assert database_of(cache) == database_of(broker) + 1


@pytest.mark.parametrize("url", ["redis://redis:6379/15", "http://redis:6379/0", "redis://redis:6379/zero"])
def test_urls_that_leave_no_next_database_are_refused_with_a_reason(url):
    with pytest.raises(ImproperlyConfigured, match="REDIS"):
        cache_url_for(url)


PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django_q.brokers import get_broker
from django_q.tasks import async_task

broker = get_broker()
broker.purge_queue()
async_task("math.floor", 1.5, broker=broker)
cache.set("probe", "cached")
before = broker.queue_size()
cache.clear()
after = broker.queue_size()
print(json.dumps({
    "cache": settings.CACHES["default"]["LOCATION"],
    "prefix": settings.CACHES["default"]["KEY_PREFIX"],
    "cleared": cache.get("probe") is None,
    "queued_before": before,
    "queued_after": after,
}))
broker.purge_queue()
"""


@pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379 (CI starts one)")
def test_clearing_the_cache_keeps_queued_tasks():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "REDIS_URL": "redis://127.0.0.1:6379/11"}
    env.pop("REDIS_CACHE_URL", None)
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {
        "cache": "redis://127.0.0.1:6379/12",
        "prefix": "marquee",
        "cleared": True,
        "queued_before": 1,
        "queued_after": 1,
    }
