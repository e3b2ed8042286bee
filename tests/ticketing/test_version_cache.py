"""Copies kept under a version (core/version_cache.py): concurrent misses of one key in one
process load it once, and every request still gets a copy of its own."""

import threading
import time

from django.core.cache import cache

from core import version_cache

KEY = "test-version-cache:show"
VERSION = "test-version-cache:v"


def wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the other thread never got there"
        time.sleep(0.001)


def flight():
    return next((f for (key, _), f in version_cache._flights.items() if key == KEY), None)


def test_concurrent_misses_load_once_and_each_gets_its_own_copy():
    cache.delete_many([KEY, VERSION])
    loading, release, calls, results = threading.Event(), threading.Event(), [], {}

    def load():
        calls.append(threading.get_ident())
        loading.set()
        assert release.wait(5)
        return {"Prime": 350}

    def read(name):
        results[name] = version_cache.cached(KEY, load, VERSION)

    leader = threading.Thread(target=read, args=("leader",))
    leader.start()
    assert loading.wait(5)
    follower = threading.Thread(target=read, args=("follower",))
    follower.start()
    wait_for(lambda: flight() is not None and flight().followers == 1)  # waiting on the leader's load
    release.set()
    leader.join(5)
    follower.join(5)

    assert len(calls) == 1
    assert results["leader"] == results["follower"] == {"Prime": 350}
    assert results["leader"] is not results["follower"]  # a copy each: one request's change is its own
    assert version_cache._flights == {}
    assert version_cache.cached(KEY, lambda: {"Prime": 999}, VERSION) == {"Prime": 350}  # stored for the next request


def test_a_follower_loads_for_itself_when_the_leader_fails():
    cache.delete_many([KEY, VERSION])
    loading, release, results = threading.Event(), threading.Event(), {}

    def failing():
        loading.set()
        assert release.wait(5)
        raise RuntimeError("database went away")

    def leader_read():
        try:
            version_cache.cached(KEY, failing, VERSION)
        except RuntimeError as error:
            results["leader"] = error

    leader = threading.Thread(target=leader_read)
    leader.start()
    assert loading.wait(5)
    follower = threading.Thread(
        target=lambda: results.setdefault("follower", version_cache.cached(KEY, lambda: {"A": 1}, VERSION))
    )
    follower.start()
    wait_for(lambda: flight() is not None and flight().followers == 1)
    release.set()
    leader.join(5)
    follower.join(5)

    assert isinstance(results["leader"], RuntimeError)
    assert results["follower"] == {"A": 1}
    assert version_cache._flights == {}


def test_a_load_that_reads_its_own_key_again_does_not_wait_for_itself():
    cache.delete_many([KEY, VERSION])
    inner = []

    def load():
        inner.append(version_cache.cached(KEY, lambda: {"inner": True}, VERSION))
        return {"outer": True}

    started = time.monotonic()
    assert version_cache.cached(KEY, load, VERSION) == {"outer": True}
    assert inner == [{"inner": True}]
    assert time.monotonic() - started < version_cache.FOLLOW_SECONDS
