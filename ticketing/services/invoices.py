"""Tax invoices (CGST Act s. 31, Rule 46): one per paid booking, issued by the finalizer in the
transaction that confirms it, from the booking's frozen quote — never priced again.

A line per supply: admission by GST rate, the convenience fee, and a line per food or drinks
item (its name and real quantity; the quote's one food tax shared over the items by value, so
the lines add up to it exactly), each with its SAC, quantity, taxable value (after discount),
rate and tax split CGST + SGST (each half rounded once, the two summing to the tax) or IGST
when the place of supply is another state. The PDF is rendered after commit.

A complimentary booking gets no invoice: nothing was paid, so there is no supply to invoice
(no consideration, CGST Act s. 7; docs/DESIGN.md §3)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from cinema.models import LegalEntity
from core.booking_rules import BookingSettings
from core.money import ZERO, rupees
from core.version_cache import cached
from ticketing.models import Booking, Invoice, PaymentMode, SeriesKind
from ticketing.services.invoice_numbers import financial_year, format_number, take_number
from ticketing.services.item_lines import item_lines
from ticketing.services.pricing import split_by_weight
from ticketing.services.show_cache import show_prices

DESCRIPTIONS = {
    "admission": "Admission to the exhibition of a cinematograph film",
    "fee": "Convenience fee",
    "food": "Food and drinks (restaurant service)",
}


def entity_key(show_id: int) -> str:
    return f"show-entity:{show_id}"


def entity_for_show(show_id: int) -> LegalEntity | None:
    """The supplier of this show's tickets, from the cache under the content version (every
    cinema save and page publish bumps it), so the confirming transaction does not read it. A
    theater without one is remembered too (as False: the cache never keeps None), or every
    confirmation at it would read again to find nothing."""
    found = cached(entity_key(show_id), lambda: LegalEntity.objects.filter(theaters__screens__shows__id=show_id).first() or False)
    return found or None


def split_tax(tax: Decimal, rate: Decimal, *, inter_state: bool, state_waived: bool = False) -> dict:
    """CGST and SGST halves of a tax (the first half rounded once, the second what is left),
    all of it CGST when the state waived its share, or all IGST between states."""
    if inter_state:
        return {"cgst": ZERO, "sgst": ZERO, "igst": tax, "cgst_rate": ZERO, "sgst_rate": ZERO, "igst_rate": rate}
    if state_waived:
        return {"cgst": tax, "sgst": ZERO, "igst": ZERO, "cgst_rate": rate, "sgst_rate": ZERO, "igst_rate": ZERO}
    cgst = rupees(tax / 2)
    half = rate / 2
    return {"cgst": cgst, "sgst": tax - cgst, "igst": ZERO, "cgst_rate": half, "sgst_rate": half, "igst_rate": ZERO}


def _quantities(booking: Booking, categories: dict[str, str] | None, threshold: Decimal) -> dict[str, int]:
    """Tickets per admission rate band (low/high), from the seats' categories and the show's
    prices (cached): a line's quantity."""
    if not categories:
        return {}
    prices = show_prices(booking.show_id)
    counts = {"low": 0, "high": 0}
    for category in categories.values():
        counts["low" if prices.get(category, ZERO) <= threshold else "high"] += 1
    return counts


def invoice_lines(booking: Booking, *, inter_state: bool, categories: dict[str, str] | None = None) -> list[dict]:
    """The invoice's lines from the frozen quote's taxes: one per admission rate and for the
    fee, and the food tax line spread over the food items (their own names and quantities)."""
    rules = BookingSettings.load()
    sac = {"admission": rules.sac_admission, "fee": rules.sac_fee, "food": rules.food_sac}
    counts = _quantities(booking, categories, rules.gst_threshold)
    tickets = len(booking.seats)
    lines = []
    for tax in booking.price_breakdown.get("taxes", []):
        rate, amount = Decimal(tax["rate"]), Decimal(tax["amount"])
        kind = tax.get("kind") or ("fee" if "fee" in tax["name"] else "admission")
        taxable = Decimal(tax["taxable"]) if tax.get("taxable") else rupees(amount * 100 / rate) if rate else ZERO
        waived = bool(tax.get("state_waived"))
        base = {"kind": kind, "sac": tax.get("sac") or sac.get(kind, ""), "rate": rate, "state_waived": waived}
        if kind == "food":
            lines += [_line(part, inter_state) for part in _food_parts(booking, base, taxable, amount)]
            continue
        quantity = tickets
        if kind == "admission" and counts:
            quantity = counts["low" if rate == rules.gst_rate_low else "high"] or tickets
        description = tax.get("description") or DESCRIPTIONS.get(kind, tax["name"])
        lines.append(
            _line({**base, "description": description, "quantity": quantity, "taxable": taxable, "tax": amount}, inter_state)
        )
    return lines


def _food_parts(booking: Booking, base: dict, taxable: Decimal, tax: Decimal) -> list[dict]:
    """The food tax line as one part per food item (bundles are taxed as admission): the
    taxable value and the tax shared by the items' values, each share adding up exactly."""
    food = [line for line in item_lines(booking) if not line.is_bundle]
    if not food:
        return [{**base, "description": DESCRIPTIONS["food"], "quantity": 1, "taxable": taxable, "tax": tax}]
    weights = [line.amount for line in food]
    return [
        {
            **base,
            "description": f"{line.name} ({DESCRIPTIONS['food'].lower()})",
            "quantity": line.quantity,
            "taxable": part,
            "tax": share,
        }
        for line, part, share in zip(food, split_by_weight(taxable, weights), split_by_weight(tax, weights), strict=True)
    ]


def _line(part: dict, inter_state: bool) -> dict:
    split = split_tax(part["tax"], part["rate"], inter_state=inter_state, state_waived=part["state_waived"])
    return {
        "kind": part["kind"],
        "description": part["description"],
        "sac": part["sac"],
        "quantity": part["quantity"],
        "taxable_value": str(part["taxable"]),
        "rate": str(part["rate"]),
        "tax": str(part["tax"]),
        "state_waived": part["state_waived"],
        **{key: str(value) for key, value in split.items()},
    }


def totals(lines: list[dict]) -> dict[str, Decimal]:
    def total(key):
        return sum((Decimal(line[key]) for line in lines), ZERO)

    taxable, cgst, sgst, igst = total("taxable_value"), total("cgst"), total("sgst"), total("igst")
    return {"taxable_value": taxable, "cgst": cgst, "sgst": sgst, "igst": igst, "total": taxable + cgst + sgst + igst}


WAIVER_NOTE = "The state has waived its share of GST on this film (tax-free): CGST only."


def issue_invoice(booking: Booking, categories: dict[str, str] | None = None) -> Invoice | None:
    """Number and record the booking's tax invoice (the caller holds the booking's row lock, in
    the transaction that confirms it). None when the theater names no legal entity."""
    if booking.payment_mode == PaymentMode.COMPLIMENTARY:
        return None  # free tickets: no consideration, no supply, nothing to invoice
    entity = entity_for_show(booking.show_id)
    if entity is None:
        return None
    now = timezone.now()
    place = entity.state_code  # admission: where the cinema is (IGST Act s. 12(5)), so intra-state
    lines = invoice_lines(booking, inter_state=place != entity.state_code, categories=categories)
    year = financial_year(now)
    sequence = take_number(entity.gstin, SeriesKind.INVOICE, year)
    return Invoice.objects.create(
        booking=booking,
        number=format_number(entity.invoice_prefix, year, sequence),
        financial_year=year,
        sequence=sequence,
        issued_at=now,
        legal_entity=entity,
        gstin=entity.gstin,
        supplier_name=entity.legal_name,
        supplier_address=entity.address,
        supplier_state_code=entity.state_code,
        place_of_supply=place,
        recipient_name=booking.business_name,
        recipient_gstin=booking.business_gstin,
        lines=lines,
        note=WAIVER_NOTE if any(line["state_waived"] for line in lines) else "",
        **totals(lines),
    )
