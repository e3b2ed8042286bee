"""django-q2 schedules created by migrations: update_or_create by name, so re-running a
migration (or migrating a copy of production) never makes a second schedule."""

from django.utils import timezone

EVERY_N_MINUTES = "I"  # django_q.models.Schedule.MINUTES


def ensure_schedule(apps, name: str, func: str, minutes: int) -> None:
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name=name,
        defaults={"func": func, "schedule_type": EVERY_N_MINUTES, "minutes": minutes, "repeats": -1, "next_run": timezone.now()},
    )


def remove_schedule(apps, name: str) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=name).delete()
