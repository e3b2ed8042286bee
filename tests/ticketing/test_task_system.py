"""django-q2 is the one task system: every schedule exists once however often `migrate` runs,
every scheduled function imports, retry outlasts timeout, and with REDIS_URL the broker is
Redis (checked in a fresh process, since settings are read at start-up)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import import_string
from django_q.models import Schedule

pytestmark = pytest.mark.django_db
EXPECTED = {
    "Expire seat holds": "ticketing.tasks.expire_holds_task",
    "Reconcile payments": "ticketing.tasks.reconcile_payments_task",
    "Show reminders": "ticketing.tasks.send_show_reminders_task",
    "Housekeeping": "ticketing.tasks.housekeeping_task",
    "Publish scheduled pages": "home.tasks.publish_scheduled_pages",
}


def test_schedules_exist_once_after_migrating_twice():
    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)
    rows = list(Schedule.objects.values_list("name", "func"))
    assert sorted(rows) == sorted(EXPECTED.items())
    for _, func in rows:
        assert callable(import_string(func))


def test_retry_outlasts_timeout_so_a_slow_task_is_not_run_twice():
    assert settings.Q_CLUSTER["retry"] > settings.Q_CLUSTER["timeout"]


def test_tests_run_tasks_synchronously():
    assert settings.Q_CLUSTER.get("sync") is True


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


PROBE = """
import django, json
django.setup()
from django_q.brokers import get_broker
broker = get_broker()
broker.purge_queue()
broker.enqueue("probe")
task = broker.dequeue()
broker.acknowledge(task[0][0])
options = broker.connection.connection_pool.connection_kwargs
print(json.dumps({"broker": type(broker).__name__, "got": task[0][1].decode() if isinstance(task[0][1], bytes) else task[0][1], "ping": broker.ping(), "timeouts": [options.get("socket_connect_timeout"), options.get("socket_timeout")]}))
"""


@pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379 (CI starts one)")
def test_with_redis_url_the_broker_is_redis():
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "REDIS_URL": "redis://127.0.0.1:6379/13"}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # bounded waits: an unreachable Redis fails an enqueue in seconds, not the OS's minutes
    assert result == {"broker": "SharedRedisBroker", "got": "probe", "ping": True, "timeouts": [2.0, 5.0]}


def test_without_redis_url_the_broker_is_the_database():
    from django_q.brokers import get_broker

    assert type(get_broker()).__name__ == "ORM"
