"""The benchmark smoke tests run the scripts in bench/ as subprocesses, which read the real
clock, so the suite's frozen clock is switched off here."""

import pytest


@pytest.fixture
def clock():
    """Overrides tests/conftest.py's frozen clock (autouse there): real time, nothing to move."""
    yield None
