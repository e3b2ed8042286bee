"""The show page marks companion seats while they are kept, and its cached copy ends at their
release time: nothing is written then, so only the time boundary can turn the page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import local_dt, make_layout, make_screen, make_show, row

pytestmark = pytest.mark.django_db

COMPANION = "s-companion"
ARIA = "companion seat, only together with wheelchair space A1"


def companion_show():
    layout = make_layout(rows=[row("A", 6, "Classic", wheelchair="1", companion="2")], categories=["Classic"])
    return make_show(
        screen=make_screen(seat_layout=layout), starts_at=local_dt(2026, 11, 21, 18, 30), prices={"Classic": Decimal("200")}
    )


def html(show) -> str:
    response = Client().get(show.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_marks_companion_seats_with_words_and_a_legend():
    body = html(companion_show())
    assert body.count(f"seat t0 s-available{' ' + COMPANION}") == 1
    assert f"Seat A2, Classic, ₹200.00, {ARIA}, available" in body
    assert "Companion seat: only with the wheelchair space beside it until 6:30 pm on Fri 20 Nov 2026" in body


def test_the_cached_page_is_not_served_past_the_release(clock):
    show = companion_show()
    clock.move_to(local_dt(2026, 11, 20, 17, 45))  # within the page's hour of the release
    assert COMPANION in html(show)
    clock.move_to(local_dt(2026, 11, 20, 18, 29) + timedelta(seconds=59))
    with CaptureQueriesContext(connection) as queries:
        assert COMPANION in html(show)  # the cached copy, still right
    assert len(queries) == 0
    clock.move_to(local_dt(2026, 11, 20, 18, 30))
    body = html(show)
    assert COMPANION not in body and ARIA not in body
    assert "Seat A2, Classic, ₹200.00, available" in body
