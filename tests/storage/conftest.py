"""Storage fixtures: Alice's confirmed booking (tests/tickets) for the download tests."""

from tests.tickets.conftest import confirmed  # noqa: F401
