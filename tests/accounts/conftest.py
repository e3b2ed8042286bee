"""Fixtures for the customer-account tests: a clean rate-limit cache, customers and bookings."""

import pytest
from django.core.cache import cache

from tests.accounts.helpers import make_customer


@pytest.fixture(autouse=True)
def clear_cache():
    """allauth counts attempts (login failures, codes, resets) in the cache: start each test at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def customer(db):
    """A verified customer: ada@example.com / PASSWORD."""
    return make_customer("ada@example.com")
