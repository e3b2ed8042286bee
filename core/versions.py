"""Version counters in the shared cache, for everything cached by version.

A cached show page is keyed by the site's content version and the show's seat version; a
seat-state ETag carries the seat version. Bumping a counter makes every copy made before it
unreachable, so nothing is ever deleted by key and a stale copy is never found.

Counters are bumped after the change commits (``transaction.on_commit``): a reader that sees
the new number is guaranteed to read the committed rows. A counter the cache has lost (an
eviction, a Redis restart) comes back as a fresh random value, so a copy made under the lost
number cannot match again (two 53-bit draws meeting is not a risk worth a lock). With Redis unreachable every read is a
miss (config/cache.py): callers then simply do not cache.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import transaction

CONTENT = "v:content"  # pages, snippets, settings: anything a public page shows
RULES = "v:booking-rules"  # Booking settings alone: a publish elsewhere leaves their copy good


def seats_key(show_id: int) -> str:
    return f"v:seats:{show_id}"


def _fresh() -> int:
    """A starting number no earlier life of the counter will have reached (frozen test clocks
    included); 53 bits, so it stays exact in JavaScript too."""
    return secrets.randbelow(2**53)


def _incr(key: str, timeout: int | None) -> None:
    try:
        cache.incr(key)
    except ValueError:  # gone from the cache: start again from a value it never had
        cache.set(key, _fresh(), timeout=timeout)


def bump(key: str, timeout: int | None = None) -> None:
    """Move the counter on once the current transaction commits (at once outside one).
    ``timeout``: a counter started afresh lives that long (None: until evicted)."""
    transaction.on_commit(lambda: _incr(key, timeout))


def current(*keys: str, timeout: int | None = None) -> dict[str, int]:
    """The counters' values in one cache round trip; a missing one is started fresh (to live
    ``timeout`` seconds). With Redis unreachable every read starts a fresh number, so nothing
    cached ever matches."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            value = _fresh()
            if cache.add(key, value, timeout=timeout):
                found[key] = value
            else:  # another process started it first: use theirs
                theirs = cache.get(key)
                if theirs is not None:
                    found[key] = theirs
    return {key: int(value) for key, value in found.items() if key in keys}


def bump_content() -> None:
    bump(CONTENT)


def bump_seats(show_id: int | None) -> None:
    """``None``: a booking with no show (a gift card's purchase) has no seat map to bump."""
    if show_id is not None:
        bump(seats_key(show_id))


def show_versions(show_id: int) -> tuple[int, int] | None:
    """(content, seats) for one show, or None when the cache could not say."""
    values = current(CONTENT, seats_key(show_id))
    if len(values) != 2:
        return None
    return values[CONTENT], values[seats_key(show_id)]
