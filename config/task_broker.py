"""django-q2's Redis broker, with one Redis client per process for queueing.

django-q2 builds a broker for every ``async_task`` unless given one, and its Redis broker a new
client with its own connection pool: a TCP connection to Redis for each task queued, once per
confirmed booking (its e-mail), 1–3 ms of the callback. This broker hands every instance the
same client (thread-safe, one pool per process; redis-py resets the pool in a forked child).
"""

from __future__ import annotations

from functools import cache

import redis
from django_q.brokers.redis_broker import Redis
from django_q.conf import Conf


@cache
def _client(url: str) -> redis.Redis:
    return redis.from_url(url)


class SharedRedisBroker(Redis):
    @staticmethod
    def get_connection(list_key: str | None = None) -> redis.Redis:
        if isinstance(Conf.REDIS, str):
            return _client(Conf.REDIS)
        return Redis.get_connection(list_key)
