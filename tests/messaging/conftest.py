"""Texts start from an empty console log and an empty rate-limit cache."""

import pytest
from django.core.cache import cache

from messaging.backends import ConsoleBackend


@pytest.fixture(autouse=True)
def fresh():
    cache.clear()
    ConsoleBackend.sent = []
    yield
    cache.clear()
