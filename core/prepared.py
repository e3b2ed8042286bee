"""A cursor whose statements PostgreSQL parses and plans once per connection.

Django's psycopg cursors bind parameters on the client, so PostgreSQL parses and plans every
statement again. The hold's hand-written statements are the same few texts thousands of times
a minute, and planning them cost more than running them (0.12–0.38 ms each, measured with
EXPLAIN ANALYZE and pg_stat_statements). Through a server-binding cursor psycopg prepares a
statement at its first run on a connection (`prepare_threshold` 0; `DB_PREPARED_STATEMENTS=off`
turns it off for a pooler that cannot keep prepared statements) and sends only its parameters
from then on; the connection plans prepared statements once, generically
(config/postgresql/base.py). A list of values goes in as one array (``any_of``), so a hold of
one seat and a hold of four are the same statement. Elsewhere (SQLite) this is the ordinary
cursor. Statements still pass through Django's cursor wrapper: they are logged and counted
like any other.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections


def cursor():
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of django.db.connection looks it up again
    if db.vendor != "postgresql":
        return db.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor  # needs psycopg 3

    # As BaseDatabaseWrapper.cursor() does, with the server-binding cursor class.
    db.close_if_health_check_failed()
    db.ensure_connection()
    with db.wrap_database_errors:
        return db._prepare_cursor(ServerBindingCursor(db.connection))


def any_of(column: str, values) -> tuple[str, list]:
    """``column`` is one of ``values``: one array parameter on PostgreSQL (the statement's text
    does not depend on how many), a list of placeholders elsewhere."""
    values = list(values)
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values
