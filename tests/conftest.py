"""Shared fixtures: the site's fixed pages, users, and a frozen clock.

Every test runs at the same instant (Friday 20 November 2026, 10:00 IST) unless it moves
the clock itself through the ``clock`` fixture, so "tomorrow 18:00" is always in the future
and expiry tests are exact.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories

FROZEN_AT = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


@pytest.fixture(autouse=True)
def clock():
    """The frozen clock; tests call ``clock.shift(timedelta)`` or ``clock.move_to(dt)``."""
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def anymail_outbox(settings):
    """Mail goes through Anymail's test backend (pytest-django would set locmem): mail.outbox
    as usual, plus Anymail's metadata, tags, inline images and an ESP message id."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (rate limits, remembered verifications)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_page(db):
    return factories.home_page()


@pytest.fixture
def movie_index(db):
    return factories.movie_index()


@pytest.fixture
def theater_index(db):
    return factories.theater_index()


@pytest.fixture
def superuser(admin_user):
    return admin_user


@pytest.fixture
def hindi(db):
    return factories.make_language("Hindi")


@pytest.fixture
def layout(db):
    """A1–A10 Classic, B1–B10 Prime."""
    return factories.make_layout()


@pytest.fixture
def screen(layout):
    return factories.make_screen(seat_layout=layout)


@pytest.fixture
def movie(hindi):
    return factories.make_movie(languages=[hindi], title="Dune", slug="dune", runtime_minutes=150)
