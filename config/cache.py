"""Django's Redis cache, made to shrug off a Redis outage.

The cache only holds rate-limit counters and small memos (a customer's verified e-mail,
allauth's login throttles); none of them is worth a 500. With Redis unreachable every call
answers as a miss within the socket timeout and is logged, so holds, logins and check-in keep
working (rate limits fail open) while /healthz reports the broker down.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("marquee.cache")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _default(key, default=None, *args, **kwargs):
    return default


# method → what it answers when Redis cannot be reached: a miss, nothing stored, locks granted
MISSES = {
    "get": _default,
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "add": lambda *args, **kwargs: True,  # as if added: allauth's cache lock must not block sign-in
    "set": lambda *args, **kwargs: None,
    "set_many": lambda keys, *args, **kwargs: list(keys),
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "incr": lambda key, delta=1, *args, **kwargs: delta,
    "clear": lambda *args, **kwargs: None,
}


def _forgiving(name, miss):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            log.warning("cache %s skipped, Redis unreachable: %s", name, error)
            return miss(*args, **kwargs)

    return call


class ForgivingRedisCache(RedisCache):
    """RedisCache whose every call in MISSES answers a miss when Redis is unreachable."""


for _name, _miss in MISSES.items():
    setattr(ForgivingRedisCache, _name, _forgiving(_name, _miss))
