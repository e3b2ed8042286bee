"""The seat map's ETag: a 304 for a poll that would get the same answer, from the cache alone.

A seat-map answer depends on the site's content version (the show's facts, prices, booking
settings, promo codes), the show's seat version (every seat change, every change of a hold's
quote), who asks (their own hold) and the clock: a hold lapses into a free seat with no write,
and the booking window opens and closes at set times. The tag is an HMAC of the first three
and the answer's next time boundary, with that boundary in clear, so a request is answered
304 only while the versions and the viewer are the same and the boundary is still ahead —
without reading a row. The versions are read before the rows, so a change that commits in
between makes the tag older than the answer (one extra 200), never newer (a false 304).
"""

from __future__ import annotations

import math
from datetime import datetime

from django.contrib.auth import SESSION_KEY
from django.utils.crypto import constant_time_compare, salted_hmac

from core.versions import show_versions

SALT = "marquee.seat-map-etag"
ANONYMOUS = "-"
MAX_CANDIDATES = 8  # an If-None-Match list longer than any client of ours sends is not read further
NO_BOUNDARY = 0


def versions(show_id: int) -> tuple[int, int] | None:
    """(content, seats) for the show, or None when the cache could not say (no tag then).
    Read before any row, so a change committed meanwhile leaves the tag behind the answer."""
    return show_versions(show_id)


def viewer_of(request) -> str:
    """Who asks, from the session alone (no user row): a 304 is keyed by the user id the
    session carries. The 200 path names the user Django authenticated, which is the same id
    for every session Django accepts."""
    return str(request.session.get(SESSION_KEY) or ANONYMOUS)


def viewer(user) -> str:
    return str(user.pk) if user is not None else ANONYMOUS


def next_boundary(now: datetime, moments) -> int:
    """The first of ``moments`` not before ``now``, in whole seconds rounded down (earlier is
    safe: it only ends the tag's life sooner); NO_BOUNDARY when none is ahead. A hold ending
    exactly now still shows as held, and turns free an instant later: it counts."""
    ahead = [moment for moment in moments if moment is not None and moment >= now]
    return math.floor(min(ahead).timestamp()) if ahead else NO_BOUNDARY


def tag(show_id: int, current: tuple[int, int], who: str, boundary: int) -> str:
    content, seats = current
    digest = salted_hmac(SALT, f"{show_id}:{content}:{seats}:{who}:{boundary}", algorithm="sha256").hexdigest()[:32]
    return f'W/"{boundary}.{digest}"'


def still_current(header: str, show_id: int, current: tuple[int, int] | None, who: str, now: datetime) -> str | None:
    """The tag in the If-None-Match header that this request would get, if one is still in time."""
    if current is None or not header:
        return None
    for candidate in header.split(",")[:MAX_CANDIDATES]:
        candidate = candidate.strip()
        boundary = _boundary_of(candidate)
        if boundary is None or (boundary != NO_BOUNDARY and now.timestamp() >= boundary):
            continue
        if constant_time_compare(candidate, tag(show_id, current, who, boundary)):
            return candidate
    return None


def _boundary_of(candidate: str) -> int | None:
    if not (candidate.startswith('W/"') and candidate.endswith('"')):
        return None
    head = candidate[3:-1].partition(".")[0]
    if not head.isascii() or not head.isdigit() or len(head) > 12:
        return None
    return int(head)
