"""Small read-mostly values kept in the shared cache under the site's content version.

Booking settings, a show's facts and prices are read on every hold and checkout and change
only when staff publish or save; each copy is stored with the content version it was read
under and used only while that version is current (core/versions.py), so a publish anywhere
makes every copy stale at once. A save also drops its own keys directly (``forget``), at once
and again after commit, which covers a change the version counter is not told about and the
tests' never-committed transactions. With the cache unreachable every read is a miss and the
row is read as before.

When a copy goes stale (a publish, or a show nobody has held at yet), every request of the
rush that reads it misses at once: on opening night the first 32 holds at a fresh show each
read the same rows and wrote the same copy. In one process only one of them loads it; the
others wait for that load and take a copy of its value (``_load_once``), as they would have
taken one from the cache.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

from core import read_ahead, versions

T = TypeVar("T")
BACKSTOP_SECONDS = 600  # no copy outlives this, whatever the signals missed
FOLLOW_SECONDS = 2.0  # a load taking longer is not waited for: the waiting request loads itself


def cached(key: str, load: Callable[[], T | None], version_key: str = versions.CONTENT) -> T | None:
    """``load()``'s value, from the cache when it was stored under the current version (the
    content version unless ``version_key`` names a narrower counter); None (nothing found) is
    never stored."""
    found = read_ahead.get_many([version_key, key])
    version = found.get(version_key)
    if version is None:
        version = versions.current(version_key).get(version_key)
        if version is None:  # the cache cannot say: read the row
            return load()
        read_ahead.note(version_key, version)
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    return _load_once(key, version, load)


@dataclass
class _Flight:
    """One load of a key at a version under way in this process, and the threads awaiting it."""

    leader: int
    followers: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    pickled: bytes | None = None  # the value, once loaded (None: loading failed or found nothing)


_flights: dict[tuple[str, object], _Flight] = {}
_flights_lock = threading.Lock()


def _load_once(key: str, version, load: Callable[[], T | None]) -> T | None:
    """``load()`` and store its value; while another thread of this process is loading the same
    key at the same version, wait for it instead and take a copy of what it loaded (each
    request gets its own copy, as from the cache). A follower whose leader fails, finds
    nothing or takes too long loads for itself."""
    me = threading.get_ident()
    with _flights_lock:
        flight = _flights.get((key, version))
        leading = flight is None
        if leading:
            flight = _flights[(key, version)] = _Flight(leader=me)
        else:
            flight.followers += 1
    if not leading:
        if flight.leader != me and flight.done.wait(FOLLOW_SECONDS) and flight.pickled is not None:
            value = pickle.loads(flight.pickled)
            read_ahead.note(key, (version, value))
            return value
        return _store(key, version, load())
    try:
        value = _store(key, version, load())
        if value is not None:
            flight.pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        return value
    finally:
        with _flights_lock:
            del _flights[(key, version)]
        flight.done.set()


def _store(key: str, version, value: T | None) -> T | None:
    if value is not None:
        cache.set(key, (version, value), BACKSTOP_SECONDS)
        read_ahead.note(key, (version, value))
    return value


def forget(*keys: str) -> None:
    """Drop these copies now and once more after the change commits (a request that read the
    old row meanwhile may have stored it again)."""
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
