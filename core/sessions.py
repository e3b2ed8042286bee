"""Django's cached_db sessions, with a way to hand a session the data another read fetched.

The signed-in user's first reads (core/auth_copy.py) fetch the session's cached data together
with the user's copy in one cache round trip; ``prime`` gives that data to the session as its
own ``load()`` would have returned it. The cache keys are cached_db's own, so sessions made
before this engine was configured stay valid.
"""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    def loaded(self) -> bool:
        """Whether the data was read already (by anyone), so priming it would come too late."""
        return hasattr(self, "_session_cache")

    def prime(self, data: dict) -> None:
        """``data``: this session's dict as found in the cache under ``cache_key``."""
        self._session_cache = data
