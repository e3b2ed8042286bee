"""The hand-written inserts adapt each value as Django would (core/raw_rows.py), whether the
value is one worked out once (empty, or a constant default) or not."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from core.raw_rows import insert_parts
from ticketing.models import Booking, BookingChannel

pytestmark = pytest.mark.django_db


def as_django_would(instance) -> list:
    fields = [f for f in type(instance)._meta.concrete_fields if not f.primary_key]
    return [f.get_db_prep_save(f.pre_save(instance, add=True), connection) for f in fields]


def comparable(values) -> list:
    """Adapted values as text: JSON wrappers compare by identity."""
    return [getattr(value, "obj", value) for value in values]


@pytest.mark.parametrize("changed", [{}, {"channel": BookingChannel.COUNTER, "wallet_amount": Decimal("12.50"), "total": 0}])
def test_every_value_is_adapted_as_django_would(alice, show, changed):
    until = timezone.now() + timedelta(minutes=10)
    fresh = Booking(user=alice, show_id=show.pk, held_until=until, seats=["A1"], **changed)
    _, _, params = insert_parts(fresh)
    fresh.created_at = fresh.updated_at = None  # pre_save sets them again below
    expected = as_django_would(fresh)
    timestamps = {
        i
        for i, f in enumerate(f for f in Booking._meta.concrete_fields if not f.primary_key)
        if f.name in ("created_at", "updated_at")
    }
    assert [v for i, v in enumerate(comparable(params)) if i not in timestamps] == [
        v for i, v in enumerate(comparable(expected)) if i not in timestamps
    ]


def test_a_value_equal_to_the_default_but_of_another_type_is_adapted_afresh(alice, show):
    fresh = Booking(user=alice, show_id=show.pk, seats=["A1"], has_items=0)  # 0, not False
    fields = [f.name for f in Booking._meta.concrete_fields if not f.primary_key]
    _, _, params = insert_parts(fresh)
    has_items = Booking._meta.get_field("has_items")
    assert params[fields.index("has_items")] == has_items.get_db_prep_save(0, connection)


def test_the_row_it_writes_leaves_no_cycle_behind(alice, show):
    """Reading the file field to insert it leaves its name, not a FieldFile pointing back at the
    booking: the unsaved instance is freed when dropped, not by the cyclic collector."""
    fresh = Booking(user=alice, show_id=show.pk, seats=["A1"])
    _, _, params = insert_parts(fresh)
    assert fresh.__dict__["tickets_pdf"] == ""
    assert params[[f.name for f in Booking._meta.concrete_fields if not f.primary_key].index("tickets_pdf")] == ""
    assert not fresh.tickets_pdf  # the descriptor still hands out an empty FieldFile on access
