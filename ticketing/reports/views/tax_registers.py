"""The invoice and credit-note registers (filters, CSV/XLSX) and the GSTR-1 style export of one
GSTIN's month, for finance (`ticketing.view_reports`)."""

from __future__ import annotations

import csv
from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View

from core.admin_access import RequirePermissionMixin
from core.admin_kit import local_time_cell
from core.formatting import showdatetime
from core.money import format_inr
from ticketing.permissions import VIEW_REPORTS
from ticketing.reports import filters, gst_queries
from ticketing.reports.views.base import FinanceReportView, ValueColumn, export_headings

FIGURES = [
    ("taxable_value", "Taxable value", format_inr),
    ("cgst", "CGST", format_inr),
    ("sgst", "SGST", format_inr),
    ("igst", "IGST", format_inr),
    ("total", "Total", format_inr),
]
LABELS = [
    ("number", "Number", str),
    ("issued_at", "Issued", showdatetime),
    ("reference", "Booking", str),
    ("gstin", "GSTIN", str),
    ("place_of_supply", "Place of supply", str),
    ("recipient_gstin", "Recipient GSTIN", str),
    ("recipient_name", "Recipient", str),
]


class _Register(FinanceReportView):
    filterset_class = filters.TaxRegisterFilterSet
    extra_labels: list = []

    def get_rows(self):
        raise NotImplementedError

    def row_names(self):
        return ("document", "documents")

    def decorate(self, row):
        return row

    @property
    def list_export(self):
        return [key for key, _, _ in [*LABELS, *self.extra_labels, *FIGURES]]

    @property
    def export_headings(self):
        return {**{key: label for key, label, _ in [*LABELS, *self.extra_labels]}, **export_headings(FIGURES)}

    def preprocess_field_value(self, field, value, export_format):
        if field == "issued_at" and value is not None:
            return local_time_cell(value, export_format, self.FORMAT_XLSX)
        return super().preprocess_field_value(field, value, export_format)

    @cached_property
    def columns(self):
        return [ValueColumn(key, fmt, label=label) for key, label, fmt in [*LABELS, *self.extra_labels, *FIGURES]]


class InvoiceRegisterView(_Register):
    page_title = "Invoice register"
    header_icon = "doc-full"
    url_name = "reports:invoices"
    export_filename = "invoice-register"

    def get_rows(self):
        return gst_queries.invoice_rows(self.period, self.filters.value("gstin"))


class CreditNoteRegisterView(_Register):
    page_title = "Credit-note register"
    header_icon = "doc-empty"
    url_name = "reports:credit_notes"
    export_filename = "credit-note-register"
    extra_labels = [("invoice_number", "Against invoice", str), ("reason", "Reason", str)]

    def get_rows(self):
        return gst_queries.credit_note_rows(self.period, self.filters.value("gstin"))


def _month(value: str) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, AttributeError):
        today = timezone.localdate()
        return today.replace(day=1)


class Gstr1ExportView(RequirePermissionMixin, View):
    """GET ?gstin=…&month=2026-11: one CSV with the return's sections, one after another."""

    admin_permission = VIEW_REPORTS

    def get(self, request):
        gstin = request.GET.get("gstin", "")[:15]
        month = _month(request.GET.get("month", ""))
        data = gst_queries.gstr1(gstin, month)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="gstr1-{gstin or "none"}-{month:%Y-%m}.csv"'
        write_gstr1(csv.writer(response), data)
        return response


def write_gstr1(out, data: dict) -> None:
    taxes = ["Taxable value", "CGST", "SGST", "IGST"]
    keys = ["taxable_value", "cgst", "sgst", "igst"]
    out.writerow(["GSTIN", data["gstin"], "Period", data["period"].start.isoformat(), data["period"].end.isoformat()])
    out.writerow([])
    out.writerow(["B2C (unregistered recipients)"])
    out.writerow(["Place of supply", "Rate", *taxes])
    for row in data["b2c"]:
        out.writerow([row["place_of_supply"], row["rate"], *(row[key] for key in keys)])
    out.writerow([])
    out.writerow(["B2B invoices"])
    out.writerow(["Recipient GSTIN", "Recipient", "Invoice", "Date", "Place of supply", *taxes, "Invoice value"])
    for invoice in data["b2b"]:
        out.writerow(
            [invoice.recipient_gstin, invoice.recipient_name, invoice.number, timezone.localtime(invoice.issued_at).date()]
            + [invoice.place_of_supply, *(getattr(invoice, key) for key in keys), invoice.total]
        )
    out.writerow([])
    out.writerow(["Credit notes"])
    out.writerow(["Credit note", "Date", "Against invoice", "Recipient GSTIN", *taxes, "Note value"])
    for note in data["credit_notes"]:
        out.writerow(
            [note.number, timezone.localtime(note.issued_at).date(), note.invoice.number, note.recipient_gstin]
            + [*(getattr(note, key) for key in keys), note.total]
        )
    out.writerow([])
    out.writerow(["HSN/SAC summary (net of credit notes)"])
    out.writerow(["SAC", "Quantity", *taxes])
    for row in data["hsn"]:
        out.writerow([row["sac"], row["quantity"], *(row[key] for key in keys)])
    out.writerow([])
    for label, totals in (("Invoices total", data["invoice_totals"]), ("Credit notes total", data["credit_note_totals"])):
        out.writerow([label, *(totals[key] for key in keys), totals["total"]])
