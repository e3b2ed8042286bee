"""Scheduled publishing runs from the django-q2 cluster: one schedule, and the task publishes."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django_q.models import Schedule

from home.tasks import publish_scheduled_pages
from tests.factories import make_movie

pytestmark = pytest.mark.django_db


def test_one_schedule_even_after_migrating_again():
    """The migration ran once when the test database was built; running its step again (as a
    re-applied migration would) and migrating again must not add a second schedule."""
    create_schedule = import_module("home.migrations.0003_publish_scheduled_schedule").create_schedule
    create_schedule(django_apps, None)
    call_command("migrate", verbosity=0)
    schedules = Schedule.objects.filter(func="home.tasks.publish_scheduled_pages")
    assert schedules.count() == 1
    assert schedules.get().minutes == 1


def test_task_publishes_a_page_whose_time_has_come(clock):
    movie = make_movie(title="Later")
    movie.live = False
    movie.save()
    revision = movie.save_revision()
    revision.approved_go_live_at = movie.first_published_at or revision.created_at
    revision.approved_go_live_at += timedelta(minutes=5)
    revision.save()

    publish_scheduled_pages()
    movie.refresh_from_db()
    assert not movie.live

    clock.shift(timedelta(minutes=6))
    publish_scheduled_pages()
    movie.refresh_from_db()
    assert movie.live
