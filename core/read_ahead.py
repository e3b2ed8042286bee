"""One cache round trip for the small copies a request is about to read.

A hold reads several small copies from the shared cache (the content version, the show's facts
and prices, booking settings, whether the customer is verified), each where it is needed, each
a round trip of its own. Inside ``read_ahead(*keys)`` those keys are fetched together first;
``get``/``get_many`` answer from that batch for the keys it holds and ask the cache for the
rest, and ``note`` keeps the batch in step with a value written meanwhile. Outside a block they
are plain cache reads. The batch lives in a context variable: one per thread and request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

_MISSING = object()
_batch: ContextVar[dict | None] = ContextVar("read_ahead_batch", default=None)


@contextmanager
def read_ahead(*keys: str, known: dict | None = None) -> Iterator[None]:
    """``known``: keys already read (None: missing there), not asked again."""
    known = known or {}
    batch = {key: _MISSING if known[key] is None else known[key] for key in keys if key in known}
    rest = [key for key in keys if key not in batch]
    if rest:
        found = cache.get_many(rest)
        batch.update({key: found.get(key, _MISSING) for key in rest})
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)


def get_many(keys: Iterable[str]) -> dict:
    keys = list(keys)
    batch = _batch.get()
    if batch is None:
        return cache.get_many(keys)
    found = {key: batch[key] for key in keys if key in batch and batch[key] is not _MISSING}
    rest = [key for key in keys if key not in batch]
    if rest:
        found.update(cache.get_many(rest))
    return found


def get(key: str, default=None):
    return get_many([key]).get(key, default)


def note(key: str, value) -> None:
    """A value just written to the cache, for later reads in the same block."""
    batch = _batch.get()
    if batch is not None and key in batch:
        batch[key] = value
