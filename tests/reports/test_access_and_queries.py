"""Who may open the reports, and that each report costs the same number of queries however
many bookings, shows and ledger rows it covers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import local_dt, make_movie, make_screen, make_show
from tests.reports.conftest import DAY1, more_sales
from wallet import services as wallet

pytestmark = pytest.mark.django_db

REPORTS = ["reports:sales", "reports:occupancy", "reports:ledger", "reports:promos"]


@pytest.mark.parametrize("name", REPORTS)
def test_admin_access_without_view_reports_is_403(client, admin_only, name):
    client.force_login(admin_only)
    for url in (reverse(name), reverse(f"{name}_results"), reverse(name) + "?export=csv"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You do not have permission" in response.content.decode()


@pytest.mark.parametrize("name", REPORTS)
def test_anonymous_visitors_are_sent_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login") + "?next=")


def test_the_reports_menu_lists_them_only_for_finance(client, finance, admin_only):
    client.force_login(finance)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    for name in REPORTS:
        assert reverse(name) in html
    for label in ("Sales", "Occupancy", "Wallet ledger summary", "Promo code usage"):
        assert label in html
    client.force_login(admin_only)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert not any(reverse(name) in html for name in REPORTS)


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def grow(history, clock):
    """Many more sales across more movies, theaters, shows and days, and ledger rows."""
    for offset in range(3):
        show = make_show(
            movie=make_movie(title=f"Extra {offset}", slug=f"extra-{offset}"),
            screen=make_screen(),
            starts_at=local_dt(2026, 11, 23 + offset, 18),
        )
        for day in range(4):
            more_sales(show, DAY1 - timedelta(days=day + offset), 4, start=day * 10)
    for booking in history.bookings.values():
        wallet.credit(booking.user, 10, reason="Goodwill")


@pytest.mark.parametrize(
    "name,params",
    [
        ("reports:sales", {}),
        ("reports:sales", {"group": "show"}),
        ("reports:sales", {"group": "movie", "export": "csv"}),
        ("reports:sales", {"group": "theater", "export": "xlsx"}),
        ("reports:occupancy", {}),
        ("reports:occupancy", {"export": "xlsx"}),
        ("reports:ledger", {"group": "day_kind"}),
        ("reports:promos", {}),
    ],
)
def test_queries_do_not_grow_with_the_rows(client, finance, history, clock, name, params):
    client.force_login(finance)
    url = reverse(name)
    count_queries(client, url, params)  # warm caches (site, settings) first
    before = count_queries(client, url, params)
    grow(history, clock)
    after = count_queries(client, url, params)
    assert after == before, (before, after)
    assert before <= 20


def test_the_dashboard_queries_do_not_grow(client, finance, history, clock, django_assert_max_num_queries):
    client.force_login(finance)
    url = reverse("wagtailadmin_home")
    count_queries(client, url)
    before = count_queries(client, url)
    grow(history, clock)
    for offset in range(6):  # more shows coming up than the panel lists
        make_show(screen=make_screen(), starts_at=local_dt(2026, 11, 27, 10 + offset))
    assert count_queries(client, url) == before
    with django_assert_max_num_queries(before):
        client.get(url)
