"""The finance reports (Wagtail ReportViews), one module each."""

from ticketing.reports.views.base import FinanceReportView
from ticketing.reports.views.food import FoodSalesReportView
from ticketing.reports.views.gift_cards import GiftCardReportView
from ticketing.reports.views.ledger import LedgerSummaryReportView
from ticketing.reports.views.occupancy import OccupancyReportView
from ticketing.reports.views.promos import PromoUsageReportView
from ticketing.reports.views.sales import SalesReportView
from ticketing.reports.views.shifts import ShiftsReportView
from ticketing.reports.views.tax_registers import CreditNoteRegisterView, Gstr1ExportView, InvoiceRegisterView

__all__ = [
    "CreditNoteRegisterView",
    "Gstr1ExportView",
    "InvoiceRegisterView",
    "FinanceReportView",
    "FoodSalesReportView",
    "GiftCardReportView",
    "LedgerSummaryReportView",
    "OccupancyReportView",
    "PromoUsageReportView",
    "SalesReportView",
    "ShiftsReportView",
]
