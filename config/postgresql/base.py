"""Django's PostgreSQL backend, with a cheaper check of a reused connection.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request
on a reused connection: one more round trip on each hold, pay and callback. A connection the
server or a pooler ended while it sat idle has a readable socket (the server's goodbye, then
the end of the stream), and a live idle one has nothing to read. So the socket is looked at
first, without a round trip: quiet and open, the connection is used as it is; anything else
(bytes waiting, closed, broken) gets Django's own ``SELECT 1`` check, which replaces it if it
fails. A connection that died without a word (a cut network) fails its first query either way.

With prepared statements on (core/prepared.py), a new connection also asks PostgreSQL to plan
them generically, once: by default it plans each one again for its first five runs to compare,
which on a pool of connections that each see a few hundred holds a minute was most of the
planning. The prepared statements are keyed lookups (a show's seats by label, a booking by id),
whose generic plan is the custom plan.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base, operations
from psycopg.errors import DataError


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """A prepared statement's run leaves psycopg no query text to report: the statement
        with its values, so debug logs and query counts still show what ran."""
        logged = super().last_executed_query(cursor, sql, params)
        if logged is None:
            try:
                logged = self.compose_sql(sql, params)
            except DataError:  # a value psycopg cannot quote on the client: the statement as written
                logged = sql
        return logged


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def init_connection_state(self):
        super().init_connection_state()
        prepares = self.settings_dict["OPTIONS"].get("prepare_threshold") is not None
        if prepares and self.connection is not None and not self.pool:
            with self.connection.cursor() as cursor:
                cursor.execute("SET plan_cache_mode = force_generic_plan")
            if not self.get_autocommit():
                self.connection.commit()

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
