"""Django's PostgreSQL backend, with a cheaper check of a reused connection.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request
on a reused connection: one more round trip on each hold, pay and callback. A connection the
server or a pooler ended while it sat idle has a readable socket (the server's goodbye, then
the end of the stream), and a live idle one has nothing to read. So the socket is looked at
first, without a round trip: quiet and open, the connection is used as it is; anything else
(bytes waiting, closed, broken) gets Django's own ``SELECT 1`` check, which replaces it if it
fails. A connection that died without a word (a cut network) fails its first query either way.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.connection is not None and self.health_check_enabled and not self.health_check_done and self._quiet():
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _quiet(self) -> bool:
        """Open, not broken, and nothing from the server waiting to be read."""
        connection = self.connection
        if self.pool or connection.closed or connection.broken:
            return False
        try:
            poller = select.poll()  # not select(): no limit on the descriptor's number
            poller.register(connection.fileno(), select.POLLIN)
            return not poller.poll(0)  # readable, hung up or in error: not quiet
        except (OSError, ValueError):
            return False
