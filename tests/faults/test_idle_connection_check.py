"""A reused database connection is checked at the start of each request without a round trip
while it is healthy, and replaced when the server ended it while it sat idle
(config/postgresql/base.py)."""

import pytest
from django.db import close_old_connections, connection, connections

from tests.faults.conftest import postgres_only
from tests.faults.test_database_connection_dropped import end_this_session

pytestmark = [*postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.fixture
def checks(monkeypatch) -> list[bool]:
    """Each SELECT 1 Django's own check sends, with its answer."""
    sent = []
    wrapper = type(connections["default"])
    assert wrapper.__module__ == "config.postgresql.base"
    real = wrapper.is_usable

    def is_usable(self):
        sent.append(real(self))
        return sent[-1]

    monkeypatch.setattr(wrapper, "is_usable", is_usable)
    return sent


def test_a_healthy_idle_connection_is_reused_without_a_select_1(checks):
    pid = backend_pid()
    close_old_connections()  # what request_started does: the next query checks the connection
    assert backend_pid() == pid
    assert checks == []


def test_a_connection_the_server_ended_while_idle_is_replaced_not_an_error(checks):
    pid = backend_pid()
    end_this_session()
    close_old_connections()
    assert backend_pid() != pid  # the first query of the next request works, on a new connection
    assert checks == [False]  # the socket was readable: Django's SELECT 1 confirmed it was gone
