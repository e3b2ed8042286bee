"""Storage fixtures: Alice's confirmed booking (tests/tickets) for the download tests."""

from tests.tickets.conftest import alice, as_alice, bob, confirmed, show  # noqa: F401
