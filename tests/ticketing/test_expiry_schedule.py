"""The hold sweep runs every minute from the task cluster, and by hand as a command."""

from datetime import timedelta
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from ticketing.models import Booking, BookingState, SeatState, ShowSeat
from ticketing.services.seatmap import public_state
from ticketing.tasks import expire_holds_task

pytestmark = pytest.mark.django_db


def test_schedule_exists_once_even_if_the_migration_runs_again():
    import_module("ticketing.migrations.0003_expire_holds_schedule").create_schedule(django_apps, None)
    schedule = Schedule.objects.get(func="ticketing.tasks.expire_holds_task")
    assert schedule.minutes == 1 and schedule.repeats == -1
    assert Schedule.objects.filter(func="ticketing.tasks.expire_holds_task").count() == 1


def make_expired_hold(show, user, clock):
    booking = Booking.objects.create(user=user, show=show, seats=["A1"], held_until=show.starts_at)
    ShowSeat.objects.filter(show=show, label="A1").update(state=SeatState.HELD, booking=booking, held_until=booking.held_until)
    clock.move_to(show.starts_at + timedelta(seconds=1))
    return booking


def test_task_and_command_expire_holds_and_are_idempotent(clock, admin_user):
    from tests.factories import make_show

    show = make_show()
    booking = make_expired_hold(show, admin_user, clock)
    assert expire_holds_task() == {"seats": 1, "bookings": 1}
    booking.refresh_from_db()
    assert booking.state == BookingState.EXPIRED
    a1 = ShowSeat.objects.get(show=show, label="A1")
    assert public_state(a1.state, a1.held_until, timezone.now()) == SeatState.AVAILABLE
    out = StringIO()
    call_command("expire_holds", stdout=out)
    assert "0 holds expired, 0 seats released." in out.getvalue()
