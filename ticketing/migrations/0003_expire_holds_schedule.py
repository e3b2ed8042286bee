"""Sweep expired holds every minute in the django-q2 cluster."""

from django.db import migrations

from core.schedules import ensure_schedule, remove_schedule

SCHEDULE_NAME = "Expire seat holds"


def create_schedule(apps, schema_editor):
    ensure_schedule(apps, SCHEDULE_NAME, "ticketing.tasks.expire_holds_task", minutes=1)


def delete_schedule(apps, schema_editor):
    remove_schedule(apps, SCHEDULE_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("ticketing", "0002_booking_showseat_booking_promocode_booking_promo_and_more"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
