"""The one place prices are computed. Pages, API, e-mails, PDFs and the finalizer call quote().

Tickets are priced per seat category by the show. A promo discount comes off the ticket value
(and the food, for codes that apply to food); GST is charged on each ticket at the low or the
high rate depending on its price (at or below the threshold: low), on the convenience fee at its
own rate, and on food and drinks at the food rate (restaurant service). A ticket + food bundle
replaces the seats it covers and is taxed as those tickets (a composite supply), never
discounted. Every line is rounded once, to the paisa, half up.

A complimentary booking (a supervisor's free tickets at the counter) is priced at zero: no
consideration, so no supply under s. 7 of the CGST Act and no GST (docs/DESIGN.md §3); its
tickets keep their face value for the record (``face_value``), never as revenue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import ngettext

from core.booking_rules import BookingSettings
from core.money import ZERO, percent_of, rupees
from ticketing.models import Booking, PaymentMode
from ticketing.services.item_lines import ItemLine, item_lines
from ticketing.services.promos import find_promo, promo_discount
from ticketing.services.show_cache import show_prices
from ticketing.services.tax_waivers import state_waived
from ticketing.services.ticket_lines import TicketLine, seat_categories, ticket_lines


@dataclass
class TaxLine:
    name: str
    rate: Decimal
    amount: Decimal
    # For the tax invoice's lines (services/invoices.py); a tax line is its name, rate and amount.
    taxable: Decimal = field(default=ZERO, compare=False)  # the value this tax is charged on
    kind: str = field(default="admission", compare=False)  # what the line is for: admission | fee | food
    state_waived: bool = field(default=False, compare=False)  # tax-free film: CGST only


@dataclass
class Quote:
    tickets: list[TicketLine]
    base: Decimal
    discount: Decimal
    fee: Decimal
    taxes: list[TaxLine]
    total: Decimal
    wallet_applied: Decimal = ZERO
    payable: Decimal = ZERO
    promo_code: str = ""
    warnings: list[str] = field(default_factory=list)
    items: list[ItemLine] = field(default_factory=list)
    food: Decimal = ZERO  # food and drinks before GST and discount
    bundles: Decimal = ZERO  # ticket + food bundles before GST (never discounted)
    problems: list[str] = field(default_factory=list)  # what checkout refuses (a bundle without its seats)
    complimentary: bool = False  # free tickets: every amount zero, no tax lines
    face_value: Decimal = ZERO  # what a complimentary booking's tickets would have cost

    def as_api(self) -> dict:
        """Decimals travel as strings ("450.00")."""
        return {
            "base": str(self.base),
            "food": str(self.food),
            "bundles": str(self.bundles),
            "items": [
                {"sku": i.sku, "name": i.name, "quantity": i.quantity, "unit_price": str(i.unit_price), "amount": str(i.amount)}
                for i in self.items
            ],
            "discount": str(self.discount),
            "fee": str(self.fee),
            "taxes": [
                {"name": t.name, "rate": str(t.rate), "amount": str(t.amount), "taxable": str(t.taxable), "kind": t.kind}
                | ({"state_waived": True} if t.state_waived else {})
                for t in self.taxes
            ],
            "total": str(self.total),
            "wallet_applied": str(self.wallet_applied),
            "payable": str(self.payable),
        } | ({"complimentary": True, "face_value": str(self.face_value)} if self.complimentary else {})


def _rules():
    return BookingSettings.load()


def split_by_weight(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Share an amount across lines in proportion to their weights; shares add up exactly."""
    total = sum(weights, ZERO)
    if not total or not amount:
        return [ZERO for _ in weights]
    shares = [rupees(amount * weight / total) for weight in weights[:-1]]
    return shares + [rupees(amount - sum(shares, ZERO))]


def _bundle_seats(categories: list[str], items: list[ItemLine]) -> tuple[list[str], list[str]]:
    """The seats left to price as tickets once bundles took theirs, and what is missing."""
    left = list(categories)
    problems = []
    for line in items:
        if not line.is_bundle:
            continue
        wanted = line.seats_included * line.quantity
        taken = 0
        for category in list(left):
            if taken < wanted and category.lower() == line.seat_category.lower():
                left.remove(category)
                taken += 1
        if taken < wanted:
            problem = ngettext(
                "%(item)s needs %(count)s %(category)s seat; pick them first.",
                "%(item)s needs %(count)s %(category)s seats; pick them first.",
                wanted,
            )
            problems.append(problem % {"item": line.name, "count": wanted, "category": line.seat_category})
    return left, problems


def price_seats(
    show,
    categories: list[str],
    promo=None,
    user=None,
    wallet_balance: Decimal | None = None,
    items: list[ItemLine] | None = None,
    complimentary: bool = False,
) -> Quote:
    """Quote seats of these categories at this show (one entry per seat), with any items."""
    items = items or []
    if complimentary:
        return _complimentary(show, categories, items)
    rules = _rules()
    priced_seats, problems = _bundle_seats(categories, items) if items else (categories, [])
    tickets, ticket_base = ticket_lines(show, priced_seats)
    bundles = [line for line in items if line.is_bundle]
    food_lines = [line for line in items if not line.is_bundle]
    food = rupees(sum((line.amount for line in food_lines), ZERO))
    bundled = rupees(sum((line.amount for line in bundles), ZERO))
    food_eligible = food if promo is not None and promo.applies_to_food else ZERO
    discount = ZERO
    if promo is not None:
        discount = promo_discount(promo, show, tickets, ticket_base, food=food_eligible)
    base = ticket_base

    # GST on tickets by price band, after each band's share of the discount (shared only
    # among the tickets the code applies to, and the food if it applies to food).
    only = promo.category_list() if promo is not None else []
    prices = show_prices(show.pk) if bundles else {}
    bands = {"low": ZERO, "high": ZERO}
    discounted = {"low": ZERO, "high": ZERO}
    for ticket in tickets:
        band = "low" if ticket.unit_price <= rules.gst_threshold else "high"
        bands[band] += ticket.amount
        if not only or ticket.category.lower() in only:
            discounted[band] += ticket.amount
    for line in bundles:  # a composite supply: taxed as the tickets it covers
        ticket_price = prices.get(line.seat_category, line.unit_price / line.seats_included)
        bands["low" if ticket_price <= rules.gst_threshold else "high"] += line.amount
    names = [band for band in ("low", "high") if bands[band]]
    waived = state_waived(show.pk)
    weights = [discounted[b] for b in names] + ([food_eligible] if food_eligible else [])
    split = split_by_weight(discount, weights)
    shares = dict(zip(names, split[: len(names)], strict=True))
    food_discount = split[-1] if food_eligible else ZERO
    taxes = []
    for band in names:
        rate = rules.gst_rate_low if band == "low" else rules.gst_rate_high
        taxable = bands[band] - shares[band]
        name = f"GST on tickets @ {rate.normalize():f}%"
        if waived:  # tax-free film: the state's half is not charged
            rate = rate / 2
            name = f"CGST on tickets @ {rate.normalize():f}% (tax-free film: no SGST)"
        taxes.append(TaxLine(name, rate, percent_of(taxable, rate), taxable, state_waived=waived))
    fee = rupees(rules.convenience_fee * len(categories))
    if fee:
        rate = rules.gst_rate_fee
        taxes.append(TaxLine(f"GST on convenience fee @ {rate.normalize():f}%", rate, percent_of(fee, rate), fee, "fee"))
    if food:
        rate = rules.food_gst_rate
        food_taxable = food - food_discount
        name = f"GST on food and drinks @ {rate.normalize():f}% (SAC {rules.food_sac})"
        taxes.append(TaxLine(name, rate, percent_of(food_taxable, rate), food_taxable, "food"))
    total = rupees(base + bundled + food - discount + fee + sum((t.amount for t in taxes), ZERO))
    wallet_applied = min(rupees(wallet_balance), total) if wallet_balance else ZERO
    return Quote(
        tickets=tickets,
        base=base,
        discount=discount,
        fee=fee,
        taxes=taxes,
        total=total,
        wallet_applied=wallet_applied,
        payable=rupees(total - wallet_applied),
        promo_code=promo.code if promo else "",
        items=items,
        food=food,
        bundles=bundled,
        problems=problems,
    )


def _complimentary(show, categories: list[str], items: list[ItemLine]) -> Quote:
    """Free tickets: nothing charged, nothing taxed, no fee; food is never given free here."""
    tickets, face_value = ticket_lines(show, categories)
    problems = ["Only tickets can be complimentary; sell food and drinks separately."] if items else []
    if not categories:
        problems.append("Choose the seats to give.")
    return Quote(
        tickets=tickets,
        base=ZERO,
        discount=ZERO,
        fee=ZERO,
        taxes=[],
        total=ZERO,
        items=items,
        problems=problems,
        complimentary=True,
        face_value=face_value,
    )


def price_gift_card(amount: Decimal, wallet_balance: Decimal | None = None) -> Quote:
    """A gift card costs its face value: no fee, no discount, no GST (a voucher is not a supply;
    the tax is charged when its money buys tickets or food)."""
    total = rupees(amount)
    wallet_applied = min(rupees(wallet_balance), total) if wallet_balance else ZERO
    return Quote(tickets=[], base=total, discount=ZERO, fee=ZERO, taxes=[], total=total,
                 wallet_applied=wallet_applied, payable=rupees(total - wallet_applied))  # fmt: skip


@dataclass(frozen=True)
class ShowRef:
    """A show by its key: all price_seats reads of a show (its prices and tax waiver come
    from the cache by key), so a booking's show page need not be read to price it."""

    pk: int


def quote(booking, promo_code=None, wallet=None) -> Quote:
    """The price of a booking's seats, with its promo code (or the one given) and wallet."""
    if booking.is_gift_card:
        return price_gift_card(booking.gift_card.amount, getattr(wallet, "balance", wallet))
    promo = booking.promo
    if promo_code is not None:
        promo = find_promo(promo_code, booking)
    balance = getattr(wallet, "balance", wallet)
    # price_seats does not read the customer: passing booking.user would only cost a query.
    show = booking.show if Booking.show.is_cached(booking) else ShowRef(booking.show_id)
    return price_seats(
        show,
        seat_categories(booking),
        promo=promo,
        wallet_balance=balance,
        items=item_lines(booking),
        complimentary=booking.payment_mode == PaymentMode.COMPLIMENTARY,
    )


def shown_price(booking):
    """The price to show for a booking: once it went to checkout, the quote frozen on it then
    (a dict in Quote.as_api() form); while held, quote() now."""
    if booking.state != "held" and booking.price_breakdown:
        return booking.price_breakdown
    return quote(booking)


def shown_quote(booking) -> Quote:
    """:func:`shown_price` as a Quote for templates: the frozen dict carries strings, and "0.00"
    is true in a template (a card-paid booking showed "From your wallet −₹0.00")."""
    price = shown_price(booking)
    if isinstance(price, Quote):
        return price
    names = ("base", "discount", "fee", "total", "wallet_applied", "payable", "food", "bundles")
    money = {name: Decimal(price.get(name) or "0") for name in names}
    taxes = [TaxLine(t["name"], Decimal(t["rate"]), Decimal(t["amount"])) for t in price.get("taxes", [])]
    items = [
        ItemLine(i["sku"], i["name"], Decimal(i["unit_price"]), int(i["quantity"]), Decimal(i["amount"]))
        for i in price.get("items", [])
    ]
    return Quote(
        tickets=[],
        taxes=taxes,
        items=items,
        promo_code=booking.promo.code if booking.promo_id else "",
        complimentary=bool(price.get("complimentary")),
        face_value=Decimal(price.get("face_value") or "0"),
        **money,
    )
