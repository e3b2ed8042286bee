"""Credit notes (CGST Act s. 34): each refund of an invoiced booking reverses its part of the
invoice, in the entity's own consecutive credit-note series.

Reversals are cumulative: a note reverses (everything refunded so far) minus (what earlier
notes reversed), so the notes of a booking refunded in full add up to its invoice exactly,
whatever the partial steps rounded."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from core.money import ZERO, rupees
from ticketing.models import Booking, CreditNote, Invoice, Refund, SeriesKind
from ticketing.services.invoice_numbers import financial_year, format_number, take_number
from ticketing.services.invoices import split_tax, totals

MONEY_KEYS = ("taxable_value", "tax", "cgst", "sgst", "igst")


def _reversal(invoice: Invoice, amount: Decimal, kinds: tuple[str, ...] | None = None) -> list[dict]:
    """The lines that reverse ``amount`` of the invoice's total, spread over its lines by their
    value (only lines of these ``kinds`` when given: seats cancelled on their own leave the
    food on the booking); each line's share split back into taxable value and tax at its rate."""
    if amount >= invoice.total:
        return [dict(line) for line in invoice.lines]
    gross = [
        Decimal(line["taxable_value"]) + Decimal(line["tax"]) if kinds is None or line.get("kind") in kinds else ZERO
        for line in invoice.lines
    ]
    whole = sum(gross, ZERO)
    if not whole:  # nothing of those kinds: spread over every line
        return _reversal(invoice, amount) if kinds is not None else [dict(line) for line in invoice.lines]
    last = max(index for index, value in enumerate(gross) if value)  # takes the rounding's remainder
    shares = [rupees(amount * value / whole) if index != last else ZERO for index, value in enumerate(gross)]
    shares[last] = rupees(amount - sum(shares, ZERO))
    lines = []
    for line, share in zip(invoice.lines, shares, strict=True):
        rate = Decimal(line["rate"])
        tax = rupees(share * rate / (100 + rate))
        split = split_tax(tax, rate, inter_state=Decimal(line["igst"]) > 0, state_waived=line.get("state_waived", False))
        lines.append(
            {**line, "taxable_value": str(share - tax), "tax": str(tax), **{key: str(value) for key, value in split.items()}}
        )
    return lines


def _minus(lines: list[dict], earlier: list[list[dict]]) -> list[dict]:
    """These lines less what earlier notes reversed of each (lines match by position)."""
    result = []
    for index, line in enumerate(lines):
        line = dict(line)
        for note in earlier:
            if index < len(note):
                for key in MONEY_KEYS:
                    line[key] = str(Decimal(line[key]) - Decimal(note[index][key]))
        result.append(line)
    return result


def issue_credit_note(refund: Refund, invoice: Invoice, kinds: tuple[str, ...] | None = None) -> CreditNote:
    """The credit note of one refund (inside the refunding transaction)."""
    earlier = list(invoice.credit_notes.order_by("pk"))
    reversed_so_far = sum((note.total for note in earlier), ZERO)
    lines = _minus(_reversal(invoice, reversed_so_far + refund.amount, kinds), [note.lines for note in earlier])
    now = timezone.now()
    year = financial_year(now)
    entity = invoice.legal_entity
    sequence = take_number(invoice.gstin, SeriesKind.CREDIT_NOTE, year)
    return CreditNote.objects.create(
        invoice=invoice,
        refund=refund,
        reason=refund.reason[:300],
        number=format_number(entity.credit_note_prefix, year, sequence),
        financial_year=year,
        sequence=sequence,
        issued_at=now,
        legal_entity=entity,
        gstin=invoice.gstin,
        supplier_name=invoice.supplier_name,
        supplier_address=invoice.supplier_address,
        supplier_state_code=invoice.supplier_state_code,
        place_of_supply=invoice.place_of_supply,
        recipient_name=invoice.recipient_name,
        recipient_gstin=invoice.recipient_gstin,
        lines=lines,
        note=invoice.note,
        **totals(lines),
    )


def credit_refunds(booking: Booking, since, kinds: tuple[str, ...] | None = None) -> list[CreditNote]:
    """A credit note for each refund of this booking recorded from ``since`` on (a
    cancellation, a void); nothing when the booking was never invoiced. A refund of a second
    payment for the same order is not a supply reversed, and the finalizer records it
    elsewhere."""
    invoice = Invoice.objects.filter(booking=booking).select_related("legal_entity").first()
    if invoice is None:
        return []
    refunds = booking.refunds.filter(credit_note__isnull=True, created_at__gte=since).order_by("pk")
    return [issue_credit_note(refund, invoice, kinds) for refund in refunds]
