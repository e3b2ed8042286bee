"""Shifts: one open per staff member, the cash-up arithmetic, a closed shift is read-only."""

from decimal import Decimal

import pytest

from tests.counter.conftest import TOTAL_A1_A2, sell_cash
from tests.factories import make_user
from ticketing.errors import BookingError, NotFound, ShiftConflict
from ticketing.models import CounterShift, ShiftState
from ticketing.services import counter_sales, counter_shifts

pytestmark = pytest.mark.django_db


def test_open_shift(seller):
    shift = counter_shifts.open_shift(seller, "  Counter   1 ", "2000")
    assert (shift.counter, shift.opening_float, shift.state) == ("Counter 1", Decimal("2000.00"), ShiftState.OPEN)
    assert counter_shifts.current_shift(seller) == shift


def test_one_open_shift_per_staff_member(seller, shift):
    with pytest.raises(ShiftConflict) as refusal:
        counter_shifts.open_shift(seller, "Counter 2", "100.00")
    assert refusal.value.status == 409 and "already have an open shift" in refusal.value.message
    assert CounterShift.objects.filter(staff=seller).count() == 1


def test_the_database_refuses_a_second_open_shift(seller, shift):
    """The race the pre-check cannot see: the partial unique index decides."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CounterShift.objects.create(staff=seller, counter="Counter 2", opening_float=Decimal("0"))


@pytest.mark.parametrize(
    "amount, words",
    [
        ("12.345", "more than 2 decimal places"),
        ("-5", "cannot be negative"),
        ("1000001", "cannot be more than ₹10,00,000.00"),
        ("abc", "amount in rupees"),
        ("", "Enter the float"),
        ("1e3", "amount in rupees"),
        ("NaN", "amount in rupees"),
    ],
)
def test_bad_floats_are_refused(seller, amount, words):
    with pytest.raises(BookingError) as refusal:
        counter_shifts.open_shift(seller, "Counter 1", amount)
    assert words in refusal.value.message and refusal.value.status == 400
    assert not CounterShift.objects.exists()


def test_a_counter_needs_a_name(seller):
    with pytest.raises(BookingError, match="Name the counter"):
        counter_shifts.open_shift(seller, "   ", "10.00")


def test_cash_up(seller, shift, show, supervisor):
    """expected = float + cash sales − cash refunds; variance = counted − expected."""
    first = sell_cash(seller, show, ["A1", "A2"], tendered="600.00")  # 542.80, change 57.20
    sell_cash(seller, show, ["A3"], tendered="300.00")  # 271.40
    counter_sales.sell_at_counter(seller, show.pk, ["B1"], method="upi", reference="UPI123456")
    counter_sales.sell_at_counter(seller, show.pk, ["B2"], method="card", reference="APP001")
    counter_sales.void_sale(supervisor, first.booking.reference, "Wrong show")
    totals = counter_shifts.shift_totals(shift)
    assert totals.takings == {"cash": Decimal("814.20"), "upi": Decimal("330.40"), "card": Decimal("330.40")}
    assert totals.refunded["cash"] == TOTAL_A1_A2
    assert totals.expected_cash == Decimal("2000.00") + Decimal("814.20") - TOTAL_A1_A2 == Decimal("2271.40")
    closed, _ = counter_shifts.close_shift(seller, shift.pk, "2270.00")
    assert (closed.state, closed.expected_cash, closed.counted, closed.variance) == (
        ShiftState.CLOSED,
        Decimal("2271.40"),
        Decimal("2270.00"),
        Decimal("-1.40"),
    )
    assert closed.summary["sales"] == 4 and closed.summary["refunds"] == 1
    assert closed.summary["totals"] == {"cash": "814.20", "upi": "330.40", "card": "330.40"}
    assert [row["sales"] for row in closed.summary["by_show"]] == [4]


def test_a_closed_shift_is_read_only(seller, shift, show):
    counter_shifts.close_shift(seller, shift.pk, "2000.00")
    with pytest.raises(ShiftConflict, match="closed"):
        counter_shifts.close_shift(seller, shift.pk, "1.00")
    shift.refresh_from_db()
    assert shift.counted == Decimal("2000.00") and shift.variance == Decimal("0.00")


def test_selling_after_close_needs_a_new_shift(seller, shift, show):
    counter_shifts.close_shift(seller, shift.pk, "2000.00")
    with pytest.raises(BookingError) as refusal:
        sell_cash(seller, show)
    assert refusal.value.status == 409 and "no open shift" in refusal.value.message


def test_another_staff_members_shift_is_not_found(shift, db):
    other = make_user("ticketing.sell_at_counter", username="other")
    with pytest.raises(NotFound):
        counter_shifts.close_shift(other, shift.pk, "0.00")


def test_a_supervisor_may_close_any_shift(shift, supervisor):
    closed, _ = counter_shifts.close_shift(supervisor, shift.pk, "2000.00")
    assert closed.state == ShiftState.CLOSED


def test_audit_log(seller, shift):
    from wagtail.models import ModelLogEntry

    counter_shifts.close_shift(seller, shift.pk, "1990.00")
    actions = list(ModelLogEntry.objects.filter(object_id=str(shift.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["counter.close_shift", "counter.open_shift"]
