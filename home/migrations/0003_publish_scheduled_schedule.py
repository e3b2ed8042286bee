"""Run Wagtail's scheduled publishing every minute in the django-q2 cluster."""

from django.db import migrations

from core.schedules import ensure_schedule, remove_schedule

SCHEDULE_NAME = "Publish scheduled pages"


def create_schedule(apps, schema_editor):
    ensure_schedule(apps, SCHEDULE_NAME, "home.tasks.publish_scheduled_pages", minutes=1)


def delete_schedule(apps, schema_editor):
    remove_schedule(apps, SCHEDULE_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_create_homepage"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
