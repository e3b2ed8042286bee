"""Concurrency tests run on PostgreSQL against real time: threads and the live server must
see the same clock as the database, so the suite's frozen clock is switched off here."""

import pytest


@pytest.fixture
def clock():
    """Overrides tests/conftest.py's frozen clock (autouse there): real time, nothing to move."""
    yield None
