"""Dashboard panels for finance and operations staff (Wagtail `construct_homepage_panels`).

Who sees what: the sales, next-shows and needs-attention panels need
`ticketing.view_reports`; so does queue health (superusers have every permission, so they
see all four). Editors and box-office staff see none of them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from wagtail.admin.ui.components import Component

from ticketing.permissions import VIEW_BOOKINGS, VIEW_REPORTS
from ticketing.reports import dashboard
from ticketing.reports.queries import money_row


class DashboardPanel(Component):
    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {"request": request, **self.get_figures(request)}

    def get_figures(self, request) -> dict:
        return {}


class TodaysSalesPanel(DashboardPanel):
    name = "todays_sales"
    template_name = "ticketing/dashboard/todays_sales.html"
    order = 100

    def get_figures(self, request):
        sales = money_row(dashboard.get_todays_sales())
        day = sales["day"].isoformat()
        return {"sales": sales, "report_url": f"{reverse('reports:sales')}?{urlencode({'period_from': day, 'period_to': day})}"}


class NeedsAttentionPanel(DashboardPanel):
    name = "needs_attention"
    template_name = "ticketing/dashboard/needs_attention.html"
    order = 110

    def get_figures(self, request):
        figures = dashboard.get_bookings_needing_attention()
        can_open = request.user.has_perm(VIEW_BOOKINGS)
        for booking in figures["bookings"]:
            booking.admin_url = reverse("bookings:inspect", args=[booking.pk]) if can_open else ""
        figures["flagged_url"] = f"{reverse('bookings:index')}?needs_attention=true" if can_open else ""
        figures["pending_url"] = f"{reverse('bookings:index')}?state=payment_pending" if can_open else ""
        return figures


class NextShowsPanel(DashboardPanel):
    name = "next_shows"
    template_name = "ticketing/dashboard/next_shows.html"
    order = 120

    def get_figures(self, request):
        return {"shows": dashboard.get_next_shows(), "report_url": reverse("reports:occupancy")}


class QueueHealthPanel(DashboardPanel):
    name = "queue_health"
    template_name = "ticketing/dashboard/queue_health.html"
    order = 130

    def get_figures(self, request):
        health = dashboard.get_queue_health()
        health["failures_url"] = failures_url() if request.user.is_superuser else ""
        return {"health": health}


def failures_url() -> str:
    """django-q2's failed-task list in Django's admin, or "" where that admin is not mounted (production)."""
    try:
        return reverse("admin:django_q_failure_changelist")
    except NoReverseMatch:
        return ""


def add_panels(request, panels: list) -> None:
    if request.user.has_perm(VIEW_REPORTS):
        panels += [TodaysSalesPanel(), NeedsAttentionPanel(), NextShowsPanel(), QueueHealthPanel()]
