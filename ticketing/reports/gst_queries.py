"""The GST registers and the GSTR-1 style return, read from the issued invoices and credit
notes alone (what was declared to the customer is what is reported).

An invoice belongs to the IST day it was issued, which is the day its booking was confirmed,
so a month's invoices are the sales report's sales of that month and their totals agree."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import F

from core.money import ZERO
from ticketing.models import CreditNote, Invoice
from ticketing.reports.queries import Period

REGISTER_FIELDS = [
    "number",
    "issued_at",
    "gstin",
    "place_of_supply",
    "recipient_gstin",
    "recipient_name",
    "taxable_value",
    "cgst",
    "sgst",
    "igst",
    "total",
]


F_BOOKING = F("booking__reference")
F_INVOICE = F("invoice__number")
F_NOTE_BOOKING = F("invoice__booking__reference")


def invoice_rows(period: Period, gstin: str | None = None):
    rows = Invoice.objects.filter(period.filter("issued_at"))
    if gstin:
        rows = rows.filter(gstin=gstin)
    return rows.order_by("gstin", "financial_year", "sequence").values(*REGISTER_FIELDS, reference=F_BOOKING)


def credit_note_rows(period: Period, gstin: str | None = None):
    rows = CreditNote.objects.filter(period.filter("issued_at"))
    if gstin:
        rows = rows.filter(gstin=gstin)
    return rows.order_by("gstin", "financial_year", "sequence").values(
        *REGISTER_FIELDS, "reason", invoice_number=F_INVOICE, reference=F_NOTE_BOOKING
    )


def month_period(month: date) -> Period:
    start = month.replace(day=1)
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return Period(start, following.fromordinal(following.toordinal() - 1))


def _add(bucket: dict, line: dict, sign: int = 1) -> None:
    for key in ("taxable_value", "cgst", "sgst", "igst"):
        bucket[key] = bucket.get(key, ZERO) + sign * Decimal(line[key])


def gstr1(gstin: str, month: date) -> dict:
    """One GSTIN's month: B2C supplies by rate and place of supply, B2B invoices, credit
    notes, and the HSN/SAC summary (net of credit notes), with the totals they add up to."""
    period = month_period(month)
    invoices = list(Invoice.objects.filter(period.filter("issued_at"), gstin=gstin).order_by("sequence"))
    notes = list(CreditNote.objects.filter(period.filter("issued_at"), gstin=gstin).order_by("sequence"))
    b2c: dict[tuple, dict] = {}
    hsn: dict[str, dict] = {}
    b2b = []
    for invoice in invoices:
        if invoice.recipient_gstin:
            b2b.append(invoice)
        for line in invoice.lines:
            if not invoice.recipient_gstin:
                _add(b2c.setdefault((invoice.place_of_supply, Decimal(line["rate"])), {}), line)
            summary = hsn.setdefault(line["sac"], {"quantity": 0})
            summary["quantity"] += line["quantity"]
            _add(summary, line)
    for note in notes:
        for line in note.lines:
            _add(hsn.setdefault(line["sac"], {"quantity": 0}), line, -1)

    def total(documents):
        return {
            key: sum((getattr(d, key) for d in documents), ZERO) for key in ("taxable_value", "cgst", "sgst", "igst", "total")
        }

    return {
        "gstin": gstin,
        "period": period,
        "b2c": [{"place_of_supply": place, "rate": rate, **values} for (place, rate), values in sorted(b2c.items())],
        "b2b": b2b,
        "credit_notes": notes,
        "hsn": [{"sac": sac, **values} for sac, values in sorted(hsn.items())],
        "invoice_totals": total(invoices),
        "credit_note_totals": total(notes),
    }
