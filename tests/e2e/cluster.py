"""A real django-q2 cluster behind the e2e live server: what the server queues goes to
the broker and runs in the cluster, after the request, as in production — not inline.

How it runs depends on whether another process can open the test database:

* PostgreSQL (or SQLite on a file): ``manage.py qcluster`` in its own process group, on the
  test database, with tests/e2e/qcluster_settings.py. Its mail goes to files in the test's
  temporary directory, its ticket PDFs to a directory the live server reads too.
* SQLite in memory (the suite's default): no other process can see that database, so django-q2's
  own pusher → worker → monitor path runs in a thread of this process, on the live server's
  connection. Requests share that connection as well, so a gate keeps the cluster's turn apart
  from them (two transactions interleaved on one connection would tangle); requests still run
  side by side. Its mail lands in ``mail.outbox``.

Either way the test sees the cluster's work the same way: the sent-log row moved to "sent",
django-q2's Success row saved by the cluster, and the message itself (:meth:`Cluster.email`;
for SMS and WhatsApp, :meth:`Cluster.text` reads the console backend's line in the cluster's log).
"""

from __future__ import annotations

import email
import email.policy
import logging
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager, suppress
from multiprocessing import Value
from pathlib import Path

from django.db import OperationalError

BASE_DIR = Path(__file__).resolve().parents[2]
DEADLINE = 45.0  # seconds for the cluster to start if need be and do what a journey waits for (a loaded 2-core box)
START_DEADLINE = 60.0
STOP_DEADLINE = 20.0
POLL = 0.1
LOCKED_ATTEMPTS = 5  # a task refused by SQLite's table lock on the shared in-memory connection
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # Django's file e-mail backend between messages
# messaging.backends.ConsoleBackend's log line: "sms to +919876543210 (console-…): the text"
CONSOLE_TEXT = re.compile(
    r"marquee\.messaging (?P<channel>sms|whatsapp) to (?P<to>\+\d+) \((?P<id>console-\w+)\): (?P<body>.*)$", re.M
)


class Cluster:
    """What both ways share: a queue name of its own (so a Redis broker shared with anything else
    hands our tasks to nobody else), waiting with a deadline, and finding the cluster's mail."""

    def __init__(self):
        self.queue = f"marquee-e2e-{os.getpid()}-{uuid.uuid4().hex[:6]}"

    def wait_until(self, check, what: str, timeout: float = DEADLINE):
        """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = check()
            except OperationalError as error:  # in-memory SQLite: a table the cluster is writing is locked to us
                if "locked" not in str(error):
                    raise
                result = None
            if result:
                return result
            self.check_alive()
            if time.monotonic() > deadline:
                raise AssertionError(f"the task cluster did not {what} within {timeout:.0f} s")
            time.sleep(0.05)

    def email(self, key: str):
        """The e-mail of sent-log row `key`, once the cluster sent it: the row is "sent", the task's
        Success row names this cluster, and the message (found by its stable Message-ID) is
        returned parsed (``email.message.EmailMessage``: subject, body, attachments)."""
        from django_q.models import Success

        from ticketing.models import EmailStatus, SentEmail
        from ticketing.services.mail import message_id_for

        self.wait_until(lambda: SentEmail.objects.filter(key=key, status=EmailStatus.SENT).exists(), f"send e-mail {key}")
        self.wait_until(
            lambda: Success.objects.filter(name=key[:100], func="ticketing.tasks.send_email_task", cluster=self.queue).exists(),
            f"record the task for e-mail {key} as done",
        )
        found = [m for m in self.sent_mail() if m["Message-ID"] == message_id_for(key)]
        assert len(found) == 1, f"{len(found)} messages for {key} among {len(self.sent_mail())} sent by the cluster"
        return found[0]

    def sent_mail(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(raw, policy=email.policy.default) for raw in self._raw_mail()]

    def text(self, key: str) -> dict:
        """The SMS or WhatsApp text of sent-log row `key` as the console backend printed it in the
        cluster's log, once the cluster sent it: the row is "sent", the task's Success row names
        this cluster, and the log line carries the row's provider id. Returns channel, to, body
        (a one-time code's body is read here: the row keeps it only until it is sent)."""
        from django_q.models import Success

        from messaging.models import MessageStatus, SentMessage

        row = self.wait_until(lambda: SentMessage.objects.filter(key=key, status=MessageStatus.SENT).first(), f"send text {key}")
        self.wait_until(
            lambda: Success.objects.filter(name=key[:100], func="messaging.tasks.send_text_task", cluster=self.queue).exists(),
            f"record the task for text {key} as done",
        )
        found = [text for text in self.console_texts() if text["id"] == row.provider_id]
        assert len(found) == 1, f"{len(found)} console lines for text {key} ({row.provider_id}) in the cluster's log"
        assert (found[0]["channel"], found[0]["to"]) == (row.channel, row.to_number)
        return found[0]

    def console_texts(self) -> list[dict]:
        """Every text the console backend printed in the cluster's log."""
        return [match.groupdict() for match in CONSOLE_TEXT.finditer(self.log())]


# --- another process: manage.py qcluster ---------------------------------------------------------


class QclusterProcess(Cluster):
    """``manage.py qcluster`` on the test database, in a process group of its own so that stopping
    it leaves nothing behind (the sentinel forks a pusher, a worker and a monitor)."""

    def __init__(self, database_name: str, workdir: Path):
        super().__init__()
        self.database_name = database_name
        self.mail_dir = workdir / "mail"
        self.tickets_dir = workdir / "tickets"
        self.log_path = workdir / "qcluster.log"
        self.process = None

    def start(self):
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.tickets_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.e2e.qcluster_settings",
            "MARQUEE_E2E_DATABASE": self.database_name,
            "MARQUEE_E2E_QUEUE": self.queue,
            "MARQUEE_E2E_MAIL_DIR": str(self.mail_dir),
            "MARQUEE_E2E_TICKETS_DIR": str(self.tickets_dir),
            "LOG_FORMAT": "plain",
            "PYTHONUNBUFFERED": "1",
        }
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(BASE_DIR / "manage.py"), "qcluster"],
                cwd=BASE_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # Not waited for here: Django takes seconds to load, and meanwhile the test starts its browser.
        # Tasks queued before the cluster is up wait in the broker; stop() checks that it came up.

    def check_alive(self):
        if self.process.poll() is not None:
            raise AssertionError(f"the task cluster exited with code {self.process.returncode}")

    def stop(self):
        """Fails if the cluster never came up for the tasks queued; either way ends it (_end). A test
        that queued nothing and finished before the cluster was up does not wait for it."""
        from django_q.brokers import get_broker

        group = self.process.pid  # start_new_session: the group's id is the leader's pid
        try:
            if not self._up() and get_broker(self.queue).queue_size() == 0:
                return
            self.wait_until(self._up, "start", timeout=START_DEADLINE)
        finally:
            self._end(group)

    def _up(self) -> bool:
        return "running." in self.log()

    def _end(self, group: int):
        """SIGTERM (django-q2 finishes the task in hand and stops its processes), then SIGKILL to
        the whole group if it lingers; returns only once no process of the group is left."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_DEADLINE)
        if _group_alive(group):
            os.killpg(group, signal.SIGKILL)
        self.process.wait(timeout=STOP_DEADLINE)
        deadline = time.monotonic() + STOP_DEADLINE
        while _group_alive(group):
            if time.monotonic() > deadline:
                raise AssertionError(f"processes of the task cluster (group {group}) outlived SIGKILL")
            time.sleep(0.05)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _raw_mail(self) -> list[bytes]:
        raw = []
        for path in sorted(self.mail_dir.glob("*.log")):
            raw += [part for part in path.read_bytes().split(SEPARATOR) if part.strip()]
        return raw


def _group_alive(group: int) -> bool:
    """Whether a live (not zombie) process is left in process group `group`."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


# --- this process: django-q2's pusher → worker → monitor in a thread ------------------------------


class Gate:
    """Requests go through side by side; the cluster's turn waits until none is in flight and
    holds new ones back until it ends."""

    def __init__(self):
        self._condition = threading.Condition()
        self._requests = 0
        self._cluster = False
        self._local = threading.local()

    def request_started(self, **kwargs):
        with self._condition:
            self._condition.wait_for(lambda: not self._cluster)
            self._requests += 1
            self._local.inside = True

    def request_finished(self, **kwargs):
        if not getattr(self._local, "inside", False):  # a response closed outside a request (the test client's)
            return
        self._local.inside = False
        with self._condition:
            self._requests -= 1
            self._condition.notify_all()

    @contextmanager
    def cluster_turn(self):
        with self._condition:
            self._condition.wait_for(lambda: self._requests == 0)
            self._cluster = True
        try:
            yield
        finally:
            with self._condition:
                self._cluster = False
                self._condition.notify_all()


class ClusterThread(Cluster):
    """django-q2's pusher, worker and monitor functions, one task at a time, in a thread sharing
    the live server's in-memory SQLite connection (the ORM broker, whatever REDIS_URL says)."""

    def __init__(self, connection):
        from django_q.brokers.orm import ORM

        super().__init__()
        self.connection = connection
        self.broker = ORM(list_key=self.queue)
        self.gate = Gate()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="django-q2 cluster", daemon=True)
        self.records: list[str] = []
        self.error: BaseException | None = None
        self._handler = _ThreadLogHandler(self.thread.name, self.records)

    def start(self):
        from django.core.signals import request_finished, request_started

        logging.getLogger().addHandler(self._handler)
        request_started.connect(self.gate.request_started, weak=False, dispatch_uid="e2e-cluster-gate")
        request_finished.connect(self.gate.request_finished, weak=False, dispatch_uid="e2e-cluster-gate")
        self.thread.start()

    def stop(self):
        from django.core.signals import request_finished, request_started

        self.stopping.set()
        self.thread.join(timeout=STOP_DEADLINE)
        request_started.disconnect(dispatch_uid="e2e-cluster-gate")
        request_finished.disconnect(dispatch_uid="e2e-cluster-gate")
        logging.getLogger().removeHandler(self._handler)
        if self.thread.is_alive():
            raise AssertionError("the task cluster thread did not stop")

    def check_alive(self):
        if self.error is not None or not self.thread.is_alive():
            raise AssertionError(f"the task cluster thread died: {self.error!r}")

    def log(self) -> str:
        return "\n".join(self.records)

    def _run(self):
        from django.db import DEFAULT_DB_ALIAS, connections

        connections[DEFAULT_DB_ALIAS] = self.connection
        timer = Value("f", -1)
        logging.getLogger("django-q").info("Q Cluster %s running in this process.", self.queue)
        try:
            while not self.stopping.is_set():
                with self.gate.cluster_turn():
                    for ack_id, payload in self.broker.dequeue() or []:
                        self._run_task(ack_id, payload, timer)
                self.stopping.wait(POLL)
        except BaseException as error:
            logging.getLogger("django-q").exception("the cluster thread died")
            self.error = error

    def _run_task(self, ack_id, payload, timer):
        """One task through django-q2's worker (runs it, catches its failure) and monitor (saves
        the Task/Success row, acknowledges it in the broker only if it succeeded)."""
        from django_q.monitor import monitor
        from django_q.signing import SignedPackage
        from django_q.worker import worker

        task = SignedPackage.loads(payload)
        task["ack_id"], task["cluster"] = ack_id, self.queue
        for attempt in range(LOCKED_ATTEMPTS):
            tasks, results = queue.Queue(), queue.Queue()
            for item in (dict(task), "STOP"):
                tasks.put(item)
            worker(tasks, results, timer)
            done = None if results.empty() else results.get_nowait()
            if done is None or done["success"] or "database table is locked" not in str(done["result"]):
                break
            if attempt == LOCKED_ATTEMPTS - 1:
                break
            # The test's own thread was reading that table on the shared connection (SQLite
            # refuses a write then, without waiting): run the task again once it has finished.
            self.stopping.wait(POLL)
        if done is not None:
            results.put(done)
        results.put("STOP")
        monitor(results, self.broker)

    def _raw_mail(self) -> list[bytes]:
        from django.core import mail

        return [message.message().as_bytes() for message in getattr(mail, "outbox", [])]


class _ThreadLogHandler(logging.Handler):
    """Keeps the log records of one thread (the cluster's), formatted, for a failed test's report."""

    def __init__(self, thread_name: str, records: list[str]):
        super().__init__(logging.INFO)
        self.thread_name = thread_name
        self.records = records
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))

    def emit(self, record):
        if record.threadName == self.thread_name:
            self.records.append(self.format(record))
