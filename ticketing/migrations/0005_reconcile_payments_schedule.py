"""Reconcile payments stuck in payment_pending (and retry pending refunds) every 5 minutes."""

from django.db import migrations

from core.schedules import ensure_schedule, remove_schedule

SCHEDULE_NAME = "Reconcile payments"


def create_schedule(apps, schema_editor):
    ensure_schedule(apps, SCHEDULE_NAME, "ticketing.tasks.reconcile_payments_task", minutes=5)


def delete_schedule(apps, schema_editor):
    remove_schedule(apps, SCHEDULE_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("ticketing", "0004_payments_refunds_sandbox"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
