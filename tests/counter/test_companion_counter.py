"""At the counter: best available never picks a companion seat before its release time, while
staff may still sell one they pick themselves (docs/DESIGN.md §3)."""

from decimal import Decimal

import pytest

from tests.counter.conftest import sell_cash
from tests.factories import local_dt, make_layout, make_screen, make_show, row
from ticketing.errors import BookingError
from ticketing.models import SeatState, ShowSeat
from ticketing.services import counter_sales

pytestmark = pytest.mark.django_db


@pytest.fixture
def show():
    layout = make_layout(rows=[row("A", 5, "Classic", wheelchair="1", companion="2")], categories=["Classic"])
    return make_show(
        screen=make_screen(seat_layout=layout), starts_at=local_dt(2026, 11, 21, 18, 30), prices={"Classic": Decimal("200")}
    )


def test_best_available_skips_companion_seats_before_the_release(show, clock):
    assert counter_sales.best_available(show.pk, "Classic", 3) == ["A3", "A4", "A5"]
    with pytest.raises(BookingError, match="no 4 Classic seats together"):
        counter_sales.best_available(show.pk, "Classic", 4)
    clock.move_to(local_dt(2026, 11, 20, 18, 30))
    assert counter_sales.best_available(show.pk, "Classic", 4) in (["A1", "A2", "A3", "A4"], ["A2", "A3", "A4", "A5"])


def test_staff_sell_a_companion_seat_they_pick(seller, shift, show):
    result = sell_cash(seller, show, ["A2"])
    assert ShowSeat.objects.get(show=show, label="A2").state == SeatState.SOLD
    assert result.booking.seats == ["A2"]
