"""Small read-mostly values kept in the shared cache under the site's content version.

Booking settings, a show's facts and prices are read on every hold and checkout and change
only when staff publish or save; each copy is stored with the content version it was read
under and used only while that version is current (core/versions.py), so a publish anywhere
makes every copy stale at once. A save also drops its own keys directly (``forget``), at once
and again after commit, which covers a change the version counter is not told about and the
tests' never-committed transactions. With the cache unreachable every read is a miss and the
row is read as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

from core import read_ahead, versions

T = TypeVar("T")
BACKSTOP_SECONDS = 600  # no copy outlives this, whatever the signals missed


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
    value = load()
    if value is not None:
        cache.set(key, (version, value), BACKSTOP_SECONDS)
        read_ahead.note(key, (version, value))
    return value


def forget(*keys: str) -> None:
    """Drop these copies now and once more after the change commits (a request that read the
    old row meanwhile may have stored it again)."""
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
