"""The Redis cache builds one client per connection pool instead of one per call, and runs
its scripts on each thread's own connection (config/cache.py)."""

import os
import threading

import pytest
import redis

from config.cache import ForgivingRedisCache, _own_connection
from tests.fixtures.redis_commands import sent_commands


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/14", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    cache = ForgivingRedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "client-test"})
    yield cache
    cache.delete_many(["a", "b"])


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.set("a", {"n": 1})
    assert redis_cache.get("a") == {"n": 1}
    assert redis_cache.get_many(["a", "b"]) == {"a": {"n": 1}}
    assert redis_cache._cache.get_client() is client


def test_incr_is_one_round_trip_and_never_creates_a_key(redis_cache, monkeypatch):
    with pytest.raises(ValueError):
        redis_cache.incr("a")
    assert redis_cache.get("a") is None  # not brought back as 1
    redis_cache.set("a", 41)
    sent = sent_commands(monkeypatch)
    assert redis_cache.incr("a") == 42
    assert redis_cache.incr("a", 8) == 50
    assert sent == ["EVALSHA", "EVALSHA"]  # the script by its hash: it was loaded by the first incr
    assert redis_cache.get("a") == 50


def test_the_task_broker_reuses_one_redis_client_per_process(redis_cache, monkeypatch):
    from django_q.conf import Conf

    from config.task_broker import SharedRedisBroker

    monkeypatch.setattr(Conf, "REDIS", "redis://127.0.0.1:6379/14")
    first, second = SharedRedisBroker(list_key="client-test"), SharedRedisBroker(list_key="client-test")
    assert first.connection is second.connection
    first.purge_queue()
    first.enqueue("one")
    second.enqueue("two")
    assert first.queue_size() == 2
    first.delete_queue()


def test_a_script_the_server_forgot_is_sent_again(redis_cache):
    redis_cache.set("a", 1)
    assert redis_cache.incr("a") == 2
    redis.Redis.from_url("redis://127.0.0.1:6379/14").script_flush()
    assert redis_cache.incr("a") == 3  # EVALSHA refused (NOSCRIPT), EVAL loads it again
    assert redis_cache.incr("a") == 4


def test_a_broken_own_connection_is_made_again(redis_cache):
    redis_cache.set("a", 1)
    assert redis_cache.incr("a") == 2
    own = _own_connection(redis_cache._cache.get_client(write=True).connection_pool)
    own._sock.close()  # as if the server had restarted meanwhile
    assert redis_cache.incr("a") == 3


def test_a_script_error_leaves_the_connection_in_step(redis_cache):
    redis_cache.set("a", "not a number")
    with pytest.raises(redis.exceptions.ResponseError):
        redis_cache.incr("a")
    redis_cache.set("b", 5)
    assert redis_cache.incr("b") == 6  # the next reply read is this command's


def test_each_thread_and_process_has_its_own_connection(redis_cache, monkeypatch):
    redis_cache.set("a", 1)
    redis_cache.incr("a")  # this thread's connection is open
    pool = redis_cache._cache.get_client(write=True).connection_pool
    mine = _own_connection(pool)
    assert _own_connection(pool) is mine and mine._sock is not None
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(_own_connection(pool)))
    thread.start()
    thread.join()
    assert theirs[0] is not mine
    parent = os.getpid()
    monkeypatch.setattr(os, "getpid", lambda: parent + 1)  # as in a forked child
    child = _own_connection(pool)
    assert child is not mine and child._sock is None  # it connects for itself
    assert redis_cache.incr("a") == 3 and child._sock is not None
    assert mine._sock is not None  # the parent's socket was left alone


def test_the_own_connection_speaks_to_the_cache_s_server_and_database(redis_cache):
    redis_cache.set("a", 7)
    assert redis_cache.incr("a") == 8
    direct = redis.Redis.from_url("redis://127.0.0.1:6379/14")
    assert int(direct.get(redis_cache.make_and_validate_key("a"))) == 8
