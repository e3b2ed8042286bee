"""Django's Redis cache, made to shrug off a Redis outage.

The cache only holds rate-limit counters and small memos (a customer's verified e-mail,
allauth's login throttles); none of them is worth a 500. With Redis unreachable every call
answers as a miss within the socket timeout and is logged, so holds, logins and check-in keep
working (rate limits fail open) while /healthz reports the broker down.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, ResponseError
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


def _own_connection(pool):
    """This thread's own connection to ``pool``'s server, made with the pool's settings, for the
    scripts every signed-in request and every hold runs. Through the client a command takes a
    pooled connection under the pool's lock, checks it for stray data and passes the retry
    wrapper: 115–129 µs of CPU here, against 47–55 µs on a connection of one's own
    (docs/performance.md, run M). Kept on the pool, so it goes with it, by thread and process:
    a forked child makes its own and never touches its parent's socket."""
    connections = pool.__dict__.setdefault("_own_connections", {})
    key = (threading.get_ident(), os.getpid())
    connection = connections.get(key)
    if connection is None:
        connection = connections[key] = pool.connection_class(**pool.connection_kwargs)
    return connection


@functools.cache
def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


class ReusedClients(RedisCacheClient):
    """Django builds a new redis.Redis object for every cache call (~0.5 ms of Python each,
    several per request on the hold path); one per connection pool serves every thread, as
    redis-py clients are thread-safe and the pool hands out the connections."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _run_script(self, client, text: str, keys: list, args: list):
        """Run a Lua script by its hash (EVALSHA; EVAL, which loads it, when the server does not
        know it yet) on this thread's own connection to ``client``'s server (``_own_connection``).
        A connection found broken is made again once, as the client's retry would."""
        sha = _sha1(text)
        connection = _own_connection(client.connection_pool)
        for attempt in range(2):
            try:
                connection.send_command("EVALSHA", sha, len(keys), *keys, *args)
                try:
                    return connection.read_response()
                except NoScriptError:
                    connection.send_command("EVAL", text, len(keys), *keys, *args)
                    return connection.read_response()
            except ResponseError:
                raise  # the reply was read whole: the connection is in step
            except UNREACHABLE:
                connection.disconnect()
                if attempt:
                    raise
            except BaseException:
                connection.disconnect()  # a reply half read must not be taken for the next one's
                raise
        raise AssertionError("unreachable")

    def get_by_hint(self, hint_key: str, keys: list[str]) -> tuple[str | None, list]:
        """The hint's value and each key's value (None: missing) in one round trip, ``{hint}``
        in a key replaced by the hint's value first (a key needing a missing hint is missing).
        The keys a script reads are computed inside it, so this needs one Redis, not a cluster."""
        hint, *values = self._run_script(self.get_client(hint_key), GET_BY_HINT, [hint_key], keys)
        hint = hint.decode() if isinstance(hint, bytes) else None
        return hint, [None if value is None else self._serializer.loads(value) for value in values]

    def incr(self, key, delta):
        """Django's check-then-increment (EXISTS, then INCRBY: two round trips, and a key
        expiring between them comes back as ``delta``) as one atomic script."""
        value = self._run_script(self.get_client(key, write=True), INCR_EXISTING, [key], [delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


# GET the hint (KEYS[1]), then every ARGV key with its {hint} replaced by the hint's value.
GET_BY_HINT = """
local hint = redis.call('GET', KEYS[1])
local found = {hint}
for i, key in ipairs(ARGV) do
  if string.find(key, '{hint}', 1, true) == nil then
    found[i + 1] = redis.call('GET', key)
  elseif hint then
    found[i + 1] = redis.call('GET', (string.gsub(key, '{hint}', hint, 1)))
  else
    found[i + 1] = false
  end
end
return found
"""
# Increment a key only if it exists; nil (None) when it does not.
INCR_EXISTING = "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end return false"


class ForgivingRedisCache(RedisCache):
    """RedisCache whose every call in MISSES answers a miss when Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients

    def validate_key(self, key):
        """Redis takes any key. Django's check warns about keys memcached would refuse, a scan
        of every character of every key on every call (eleven keys on each hold)."""

    def get_by_hint(self, hint_key: str, keys: list[str]) -> tuple[str | None, dict]:
        """Values that depend on another one, in one round trip: ``hint_key``'s value (a
        string, or None) and, for each of ``keys``, the value found at the key with any
        ``{hint}`` in it replaced by that value (None: missing, or no hint to complete it).
        With Redis unreachable: (None, every key missing)."""
        try:
            hint, values = self._cache.get_by_hint(
                self.make_and_validate_key(hint_key), [self.make_and_validate_key(key) for key in keys]
            )
        except (*UNREACHABLE, ResponseError) as error:  # also a Redis that refuses scripts: the reads go one by one
            log.warning("cache get_by_hint skipped: %s", error)
            return None, dict.fromkeys(keys)
        return hint, dict(zip(keys, values, strict=True))


for _name, _miss in MISSES.items():
    setattr(ForgivingRedisCache, _name, _forgiving(_name, _miss))
