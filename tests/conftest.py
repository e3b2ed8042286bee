"""Every test directory's shared fixtures, defined once in tests/fixtures/."""

pytest_plugins = ["tests.fixtures.base", "tests.fixtures.customers", "tests.fixtures.checkout"]
