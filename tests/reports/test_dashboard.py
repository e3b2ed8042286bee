"""The dashboard panels: who sees them, and what they say."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ, Schedule, Task

from tests.factories import make_user
from ticketing.models import Booking, Refund
from ticketing.reports import dashboard

pytestmark = pytest.mark.django_db

HOME = reverse("wagtailadmin_home")
PANELS = ("Today's sales", "Bookings needing attention", "Next shows", "Task queue")


def dashboard_html(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_finance_sees_the_panels(client, finance, history, clock):
    clock.move_to(history.bookings["carol"].confirmed_at + timedelta(hours=1))  # 19 November, 13:00 IST
    html = dashboard_html(client, finance)
    for heading in PANELS:
        assert heading in html
    assert "Thu 19 Nov 2026 (IST)" in html
    sales = dashboard.get_todays_sales()
    assert (sales["bookings"], sales["tickets"], sales["total"]) == (3, 4, history_total(history, "carol", "dave", "erin"))
    assert "₹1,144.60" in html
    assert f"{reverse('reports:sales')}?period_from=2026-11-19&amp;period_to=2026-11-19" in html


def history_total(history, *names):
    return sum(Booking.objects.get(pk=history.bookings[name].pk).total for name in names)


def test_nothing_sold_today_shows_zeros(client, finance, history):
    html = dashboard_html(client, finance)  # 20 November: the history was sold on the 18th and 19th
    assert "Fri 20 Nov 2026 (IST)" in html
    assert dashboard.get_todays_sales()["bookings"] == 0


@pytest.mark.parametrize("perms", [("wagtailadmin.access_admin",), ("wagtailadmin.access_admin", "ticketing.view_booking")])
def test_staff_without_view_reports_see_none_of_them(client, history, perms):
    html = dashboard_html(client, make_user(*perms, username="someone", email="someone@example.com"))
    for heading in PANELS:
        assert heading not in html


def test_the_next_shows_with_their_occupancy(client, finance, history):
    shows = dashboard.get_next_shows()
    assert [row["show_id"] for row in shows] == [history.dune.pk, history.arrival.pk]
    assert [round(row["occupancy"], 1) for row in shows] == [15.0, 5.0]
    html = dashboard_html(client, finance)
    assert "Sat 21 Nov 2026, 6:00 pm" in html and "15.0 %" in html


def test_bookings_needing_attention(client, finance, history, clock):
    # gus's checkout has been pending at the gateway since yesterday afternoon.
    pending = Booking.objects.get(state="payment_pending")
    bob = history.bookings["bob"]
    Booking.objects.filter(pk=bob.pk).update(needs_attention=True, attention_note="Paid ₹300 but the order asked ₹247.80")
    carol = history.bookings["carol"]
    Refund.objects.create(booking=carol, destination="source", amount=10, status="failed", reason="test", attempts=8)
    attention = dashboard.get_bookings_needing_attention()
    assert attention["counts"] == {"total": 3, "stuck": 1, "flagged": 1, "refunds": 1}
    reasons = {b.reference: b.reason for b in attention["bookings"]}
    assert reasons[bob.reference] == "Paid ₹300 but the order asked ₹247.80"
    assert reasons[carol.reference] == "A refund failed or keeps failing"
    assert reasons[pending.reference].startswith("Payment pending for ")

    html = dashboard_html(client, finance)
    assert reverse("bookings:inspect", args=[bob.pk]) in html
    assert f"{reverse('bookings:index')}?needs_attention=true" in html
    assert "1 payment pending for over 15 minutes" in html


def test_a_fresh_pending_checkout_is_not_yet_a_worry(history, clock):
    pending = Booking.objects.get(state="payment_pending")
    clock.move_to(pending.updated_at + timedelta(minutes=10))
    assert dashboard.get_bookings_needing_attention()["counts"]["stuck"] == 0


def test_queue_health_shows_failures_and_schedules(client, finance, history):
    now = timezone.now()
    Task.objects.create(
        id="f" * 32, name="refund:rfnd_x", func="ticketing.tasks.process_refund_task", started=now, stopped=now, success=False
    )
    Task.objects.create(
        id="o" * 32, name="old", func="x.y", started=now - timedelta(days=2), stopped=now - timedelta(days=2), success=False
    )
    Task.objects.create(
        id="s" * 32, name="sweep", func="ticketing.tasks.expire_holds_task", started=now, stopped=now, success=True
    )
    Schedule.objects.filter(name="Expire seat holds").update(task="s" * 32, next_run=now + timedelta(minutes=1))
    Schedule.objects.create(name="Stuck job", func="x.y", schedule_type="I", minutes=5, next_run=now - timedelta(hours=1))
    OrmQ.objects.create(key="marquee", payload="...", lock=now - timedelta(seconds=5))

    health = dashboard.get_queue_health()
    assert (health["broker"], health["queued"], health["running"], health["failures"]) == ("database", 1, 0, 1)
    schedules = {s.name: s for s in health["schedules"]}
    assert schedules["Expire seat holds"].last_run == now and schedules["Expire seat holds"].last_success is True
    assert schedules["Stuck job"].overdue

    html = dashboard_html(client, finance)
    assert "1 task waiting, 0 being worked on" in html
    assert "1 failure in the last 24 hours" in html
    assert "Failed: refund:rfnd_x (ticketing.tasks.process_refund_task)" in html
    assert "Expire seat holds" in html and "overdue" in html
    assert "/django-admin/django_q/failure/" not in html  # only superusers reach Django's admin


def test_superusers_get_a_link_to_the_failed_tasks(client, admin_user, history):
    html = dashboard_html(client, admin_user)
    assert "Task queue" in html and "/django-admin/django_q/failure/" in html


def test_a_broker_that_does_not_answer_is_reported(monkeypatch, db):
    from django_q.conf import Conf

    def broken():
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr("django_q.brokers.get_broker", broken)
    health = dashboard.get_queue_health()
    assert health["queued"] is None and "Connection refused" in health["broker_error"]
