"""E-mail tests reuse the checkout fixtures: a show tomorrow, Alice and Bob, Alice's hold."""

from tests.checkout.conftest import alice, as_alice, bob, held, sandbox, show  # noqa: F401
