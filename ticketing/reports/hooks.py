"""Wagtail wiring for the finance reports and dashboard panels: URLs under /admin/reports/,
items in Wagtail's own "Reports" menu (each shown only with its report's permission:
`ticketing.view_reports`, or `ticketing.supervise_counter` for the counter shifts), and the
dashboard panels. Imported by ticketing/wagtail_hooks.py."""

from django.urls import include, path, reverse
from wagtail import hooks

from core.admin_kit import PermissionMenuItem
from ticketing.reports import views
from ticketing.reports.panels import add_panels

REPORTS = [
    # (slug, view, menu label, icon, order)
    ("sales", views.SalesReportView, "Sales", "table", 100),
    ("occupancy", views.OccupancyReportView, "Occupancy", "group", 110),
    ("ledger", views.LedgerSummaryReportView, "Wallet ledger summary", "list-ul", 120),
    ("promos", views.PromoUsageReportView, "Promo code usage", "tag", 130),
    ("shifts", views.ShiftsReportView, "Counter shifts", "tag", 140),
    ("food", views.FoodSalesReportView, "Food and drinks", "pick", 150),
    ("invoices", views.InvoiceRegisterView, "Invoice register", "doc-full", 160),
    ("credit_notes", views.CreditNoteRegisterView, "Credit-note register", "doc-empty", 170),
    ("gift_cards", views.GiftCardReportView, "Gift cards", "tag", 180),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    """/admin/reports/<slug>/ in their own namespace: reverse("reports:sales")."""
    urls = []
    for slug, view, *_ in REPORTS:
        urls += [
            path(f"{slug}/", view.as_view(), name=slug),
            path(f"{slug}/results/", view.as_view(results_only=True), name=f"{slug}_results"),
        ]
    urls.append(path("gstr1.csv", views.Gstr1ExportView.as_view(), name="gstr1"))
    return [path("reports/", include((urls, "reports"), namespace="reports"))]


def _menu_item(slug, label, icon, order, permission):
    return lambda: PermissionMenuItem(
        label, reverse(f"reports:{slug}"), name=f"{slug}-report", icon_name=icon, order=order, permission=permission
    )


for _slug, _view, _label, _icon, _order in REPORTS:
    # Each report's own permission: view_reports, or supervise_counter for the shifts.
    hooks.register("register_reports_menu_item", _menu_item(_slug, _label, _icon, _order, _view.admin_permission))


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    add_panels(request, panels)
