"""Browser-test infrastructure: the system Chromium through Playwright, a live server on the
real clock, signed-in tabs, media served from the test storage, and screenshots kept as
artifacts in ``artifacts/e2e/`` (named ``<journey>--<nn>-<step>.png``).

The live server runs on the real clock (the suite's frozen clock is switched off below), so the
browser and the server agree about "now" the way they would in production, and its background
tasks run in a real django-q2 cluster (``task_cluster`` below; how, per database: cluster.py).
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.accounts.helpers import code_in
from tests.e2e.cluster import ClusterThread, QclusterProcess
from tests.factories import local_dt, make_movie, make_show, make_user
from ticketing.models import Booking, BookingState

CHROMIUM = "/usr/bin/chromium"
try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    expect = sync_playwright = None

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
VIEWPORT = {"width": 1360, "height": 1000}
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"


@pytest.fixture
def clock():
    """Real time for the live server and the browser (overrides the frozen clock of conftest)."""
    yield None


@pytest.fixture(autouse=True)
def task_cluster(request, transactional_db, live_server, monkeypatch, tmp_path):
    """Tasks queued by the live server (and by the test) go to the broker and a django-q2 cluster
    runs them; the rest of the suite keeps sync mode. Started once the database is ready and
    stopped — every process of it gone — before the database is flushed. A failed test's report
    carries the cluster's log (see pytest_runtest_makereport)."""
    from django.db import connection
    from django_q.conf import Conf
    from django_q.models import Task

    monkeypatch.setattr(Conf, "SYNC", False)  # django-q2 read the test settings' "sync" at import
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        cluster = ClusterThread(live_server.thread.connections_override[connection.alias])
        monkeypatch.setattr("django_q.tasks.get_broker", lambda *args, **kwargs: cluster.broker)
        monkeypatch.setattr("django_q.brokers.orm.sleep", lambda seconds: None)  # the thread waits outside its turn
    else:
        from django.core.files.storage import FileSystemStorage

        from ticketing.models import Booking

        cluster = QclusterProcess(connection.settings_dict["NAME"], tmp_path / "qcluster")
        monkeypatch.setattr(Conf, "CLUSTER_NAME", cluster.queue)
        # The PDF the worker renders is the one the customer downloads, as with PRIVATE_ROOT.
        monkeypatch.setattr(Booking._meta.get_field("tickets_pdf"), "storage", FileSystemStorage(cluster.tickets_dir))
    request.node.task_cluster = cluster
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
    failed = list(Task.objects.filter(success=False).values_list("name", "result"))
    assert not failed, f"tasks failed in the cluster: {failed}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed e2e test's report ends with the task cluster's log."""
    outcome = yield
    report = outcome.get_result()
    cluster = getattr(item, "task_cluster", None)
    if report.failed and cluster is not None:
        report.sections.append(("django-q2 cluster log", cluster.log() or "(empty)"))


@pytest.fixture
def browser(transactional_db, live_server):
    """Chromium for one test, started after the database is ready and closed before it is flushed.

    Playwright's sync API runs an event loop in this thread while the browser lives. Django then
    treats the thread as async: it refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set (the
    test's ORM calls are plain synchronous code, so it is set while the browser lives) and hands
    out a fresh connection object, which is why the database is set up and flushed (with its
    serialized rollback: Wagtail's root and home pages) outside that window.
    """
    if sync_playwright is None:  # pragma: no cover - depends on the machine
        pytest.skip("Playwright is not installed")
    if not shutil.which(CHROMIUM):  # pragma: no cover
        pytest.skip(f"no Chromium at {CHROMIUM}")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
                _close_test_thread_connections()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _close_test_thread_connections():
    """Close the connections this thread opened while the event loop ran. On SQLite's shared
    in-memory test database Django ignores close() (it would drop the database), but a connection
    left open keeps shared-cache table locks, and the next test's server request then fails at
    once with "database table is locked" (shared cache does not wait). The database lives on
    through the live server's connection, so closing the raw handle here is safe."""
    from django.db import connections

    for alias in connections:
        wrapper = connections[alias]
        if wrapper.connection is None:
            continue
        if wrapper.vendor == "sqlite" and wrapper.is_in_memory_db():
            wrapper.connection.close()
            wrapper.connection = None
        else:
            wrapper.close()


class Shots:
    """Full-page screenshots of one journey: ``shots("seat-map")`` → ``<journey>--01-seat-map.png``."""

    def __init__(self, journey: str):
        self.journey = journey
        self.count = 0
        self.saved: list[Path] = []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob(f"{journey}--*.png"):
            old.unlink()

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        path = ARTIFACTS / f"{self.journey}--{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', step.lower()).strip('-')}.png"
        page.evaluate("window.scrollTo(0, 0)")  # a reload keeps the scroll: the sticky header would sit mid-page
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        self.saved.append(path)
        return path


@pytest.fixture
def shots():
    """``shots("journey")`` → a :class:`Shots` for that journey."""
    return Shots


def make_customer(username: str, **kwargs):
    """A customer who signed up and verified the e-mail address."""
    user = make_user(username=username, **kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def tomorrow_at(hour: int, minute: int = 0):
    tomorrow = timezone.localdate() + timedelta(days=1)
    return local_dt(tomorrow.year, tomorrow.month, tomorrow.day, hour, minute)


@pytest.fixture
def show():
    """Tomorrow 18:00 (IST, real date) on the default layout: A1–A10 Classic, B1–B10 Prime."""
    return make_show(movie=make_movie(title="Dune", slug="dune"), starts_at=tomorrow_at(18))


@pytest.fixture
def customer():
    return make_customer("asha")


def new_page(browser, **context_options):
    """A fresh tab in its own context (its own cookies), recording JavaScript errors."""
    context = browser.new_context(**{"viewport": VIEWPORT, **context_options})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return page


def signed_in_page(browser, live_server, user, **context_options):
    """A browser tab carrying a session made by Django's test client for this user."""
    client = Client()
    client.force_login(user)
    page = new_page(browser, **context_options)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url, "httpOnly": True}]
    )
    return page


def open_show(page, live_server, show):
    page.goto(live_server.url + show.url)
    expect(page.locator("[data-seat-picker]")).to_be_visible()
    # The picker takes over the map: seats become enabled toggle buttons.
    expect(page.locator('.seat[data-label="A1"]')).to_have_attribute("aria-pressed", "false")


def seat(page, label):
    return page.locator(f'.seat[data-label="{label}"]')


def hold_and_continue(page, live_server, show, user, labels):
    """Pick `labels` on the show's seat map, hold them and continue to the booking page."""
    open_show(page, live_server, show)
    for label in labels:
        seat(page, label).click()
    page.locator("[data-hold-button]").click()
    expect(page.locator("[data-hold]")).to_be_visible()
    booking = Booking.objects.get(user=user, show=show, state=BookingState.HELD)
    page.locator("[data-continue]").click()
    page.wait_for_url(f"**/bookings/{booking.reference}/")
    return booking


def confirm_email_code(page, email: str, shots):
    """On the e-mail code page after sign-up: the one code mailed to `email` (allauth sends it
    inside the request, so it is in ``mail.outbox``) confirms the address and signs in."""
    messages = [m for m in mail.outbox if email in m.to]
    assert len(messages) == 1
    page.locator("#id_code").fill(code_in(messages[0]))
    shots(page, "email-code")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    customer = get_user_model().objects.get(email=email)
    assert customer.emailaddress_set.get().verified
    return customer
