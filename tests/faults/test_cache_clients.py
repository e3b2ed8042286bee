"""The Redis cache builds one client per connection pool instead of one per call."""

import pytest
import redis

from config.cache import ForgivingRedisCache


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
    client = redis_cache._cache.get_client(write=True)
    with pytest.raises(ValueError):
        redis_cache.incr("a")
    assert redis_cache.get("a") is None  # not brought back as 1
    redis_cache.set("a", 41)
    sent = []
    original = client.execute_command
    monkeypatch.setattr(client, "execute_command", lambda *args, **kwargs: sent.append(args[0]) or original(*args, **kwargs))
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
