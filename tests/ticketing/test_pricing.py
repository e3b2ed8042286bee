"""Pricing has one source, quote(): base, promo discount, convenience fee, GST by price band
and on the fee, every line rounded once to the paisa half up, then the wallet (docs/DESIGN.md §3).

Defaults (Booking settings): fee ₹30.00 per ticket; GST 5 % on tickets at or below ₹100.00,
18 % above; 18 % on the fee."""

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import pytest

from home.models import BookingSettings
from tests.factories import make_customer, make_layout, make_promo, make_screen, make_show, row
from ticketing.services.holds import hold_seats
from ticketing.services.pricing import TaxLine, price_seats, quote

pytestmark = pytest.mark.django_db

D = Decimal
LOW, HIGH, FEE = "GST on tickets @ 5%", "GST on tickets @ 18%", "GST on convenience fee @ 18%"


def tax(name: str, amount: str) -> TaxLine:
    rate = D(name.rsplit("@ ", 1)[1].rstrip("%")).quantize(D("0.01"))
    return TaxLine(name=name, rate=rate, amount=D(amount))


@dataclass
class Case:
    prices: dict
    seats: list
    base: str
    discount: str
    fee: str
    taxes: list
    total: str
    rules: dict = field(default_factory=dict)
    promo: dict | None = None


CASES = {
    "at the threshold: 5 %": Case(
        {"Classic": "100.00"}, ["Classic"], "100.00", "0.00", "30.00", [tax(LOW, "5.00"), tax(FEE, "5.40")], "140.40"
    ),
    "a paisa above: 18 %": Case(
        {"Classic": "100.01"}, ["Classic"], "100.01", "0.00", "30.00", [tax(HIGH, "18.00"), tax(FEE, "5.40")], "153.41"
    ),
    "half up at 5 % (4.505 → 4.51)": Case(
        {"Classic": "90.10"}, ["Classic"], "90.10", "0.00", "30.00", [tax(LOW, "4.51"), tax(FEE, "5.40")], "130.01"
    ),
    "half up at 18 % (18.045 → 18.05)": Case(
        {"Classic": "100.25"}, ["Classic"], "100.25", "0.00", "30.00", [tax(HIGH, "18.05"), tax(FEE, "5.40")], "153.70"
    ),
    "one rounding per line, not per ticket (13.515 → 13.52, not 3 × 4.51)": Case(
        {"Classic": "90.10"},
        ["Classic"] * 3,
        "270.30",
        "0.00",
        "90.00",
        [tax(LOW, "13.52"), tax(FEE, "16.20")],
        "390.02",
    ),
    "half up on the fee's GST (2.205 → 2.21)": Case(
        {"Classic": "100.00"},
        ["Classic"],
        "100.00",
        "0.00",
        "12.25",
        [tax(LOW, "5.00"), tax(FEE, "2.21")],
        "119.46",
        rules={"convenience_fee": D("12.25")},
    ),
    "fee per ticket": Case(
        {"Classic": "200.00"},
        ["Classic"] * 4,
        "800.00",
        "0.00",
        "120.00",
        [tax(HIGH, "144.00"), tax(FEE, "21.60")],
        "1085.60",
    ),
    "no fee, no fee tax line": Case(
        {"Classic": "200.00"},
        ["Classic"] * 2,
        "400.00",
        "0.00",
        "0.00",
        [tax(HIGH, "72.00")],
        "472.00",
        rules={"convenience_fee": D("0")},
    ),
    "mixed bands": Case(
        {"Classic": "100.00", "Prime": "300.00"},
        ["Classic", "Prime", "Classic"],
        "500.00",
        "0.00",
        "90.00",
        [tax(LOW, "10.00"), tax(HIGH, "54.00"), tax(FEE, "16.20")],
        "670.20",
    ),
    "mixed bands share a flat discount by value (20 / 30)": Case(
        {"Classic": "100.00", "Prime": "300.00"},
        ["Classic", "Classic", "Prime"],
        "500.00",
        "50.00",
        "90.00",
        [tax(LOW, "9.00"), tax(HIGH, "48.60"), tax(FEE, "16.20")],
        "613.80",
        promo={"kind": "flat", "value": D("50")},
    ),
    "an uneven split adds up exactly (3.33 / 6.67)": Case(
        {"Classic": "100.00", "Prime": "200.00"},
        ["Classic", "Prime"],
        "300.00",
        "10.00",
        "60.00",
        [tax(LOW, "4.83"), tax(HIGH, "34.80"), tax(FEE, "10.80")],
        "400.43",
        promo={"kind": "flat", "value": D("10")},
    ),
    "percent off, capped": Case(
        {"Prime": "250.00"},
        ["Prime", "Prime"],
        "500.00",
        "60.00",
        "60.00",
        [tax(HIGH, "79.20"), tax(FEE, "10.80")],
        "590.00",
        promo={"kind": "percent", "value": D("20"), "max_discount": D("60")},
    ),
    "percent off, under the cap": Case(
        {"Prime": "250.00"},
        ["Prime", "Prime"],
        "500.00",
        "50.00",
        "60.00",
        [tax(HIGH, "81.00"), tax(FEE, "10.80")],
        "601.80",
        promo={"kind": "percent", "value": D("10"), "max_discount": D("60")},
    ),
    "a percent discount rounds half up (12.5 % of 90.12 = 11.265 → 11.27)": Case(
        {"Classic": "90.12"},
        ["Classic"],
        "90.12",
        "11.27",
        "30.00",
        [tax(LOW, "3.94"), tax(FEE, "5.40")],
        "118.19",
        promo={"kind": "percent", "value": D("12.5")},
    ),
    "a flat code never takes off more than the tickets cost": Case(
        {"Classic": "100.00"},
        ["Classic"],
        "100.00",
        "100.00",
        "30.00",
        [tax(LOW, "0.00"), tax(FEE, "5.40")],
        "35.40",
        promo={"kind": "flat", "value": D("1000")},
    ),
    "a code for one category discounts only those seats": Case(
        {"Classic": "200.00", "Prime": "300.00"},
        ["Classic", "Prime"],
        "500.00",
        "150.00",
        "60.00",
        [tax(HIGH, "63.00"), tax(FEE, "10.80")],
        "483.80",
        promo={"kind": "percent", "value": D("50"), "seat_categories": "prime"},
    ),
    "staff change the threshold and the rates": Case(
        {"Classic": "150.00", "Prime": "150.01"},
        ["Classic", "Prime"],
        "300.01",
        "0.00",
        "40.00",
        [
            tax("GST on tickets @ 12%", "18.00"),
            tax("GST on tickets @ 28%", "42.00"),
            tax("GST on convenience fee @ 5%", "2.00"),
        ],
        "402.01",
        rules={
            "gst_threshold": D("150.00"),
            "gst_rate_low": D("12"),
            "gst_rate_high": D("28"),
            "gst_rate_fee": D("5"),
            "convenience_fee": D("20"),
        },
    ),
    "fractional rates are named plainly": Case(
        {"Classic": "100.00"},
        ["Classic"],
        "100.00",
        "0.00",
        "30.00",
        [tax("GST on tickets @ 2.5%", "2.50"), tax(FEE, "5.40")],
        "137.90",
        rules={"gst_rate_low": D("2.5")},
    ),
}


def set_rules(**changes) -> BookingSettings:
    rules = BookingSettings.load()
    for name, value in changes.items():
        setattr(rules, name, value)
    rules.save()
    return rules


def show_with_prices(movie, prices: dict):
    layout = make_layout(
        categories=list(prices),
        rows=[row(chr(ord("A") + i), 10, category) for i, category in enumerate(prices)],
    )
    return make_show(movie=movie, screen=make_screen(seat_layout=layout), prices=prices)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_price_table(movie, case: Case):
    set_rules(**case.rules)
    show = show_with_prices(movie, case.prices)
    promo = make_promo(**case.promo) if case.promo else None
    result = price_seats(show, case.seats, promo=promo)
    assert (result.base, result.discount, result.fee) == (D(case.base), D(case.discount), D(case.fee))
    assert result.taxes == case.taxes
    assert result.total == D(case.total)
    # The total is exactly the sum of the rounded lines.
    assert result.total == result.base - result.discount + result.fee + sum(t.amount for t in result.taxes)
    assert (result.wallet_applied, result.payable) == (D("0.00"), result.total)
    assert result.promo_code == (promo.code if promo else "")


def test_a_code_for_one_band_lowers_only_that_bands_gst(movie):
    """A code for Prime seats only takes ₹150 off the ₹300 Prime ticket; the ₹100 Classic
    ticket is not discounted, so its 5 % GST stays ₹5.00 and the Prime ticket is taxed on
    ₹150. Splitting the discount over both bands by their whole value would put ₹37.50 of
    it on the Classic ticket and charge ₹4.88 more GST than is due."""
    show = show_with_prices(movie, {"Classic": "100.00", "Prime": "300.00"})
    promo = make_promo(kind="percent", value=D("50"), seat_categories="Prime")
    result = price_seats(show, ["Classic", "Prime"], promo=promo)
    assert (result.base, result.discount) == (D("400.00"), D("150.00"))
    assert result.taxes == [tax(LOW, "5.00"), tax(HIGH, "27.00"), tax(FEE, "10.80")]
    assert result.total == D("352.80")


def test_tickets_are_grouped_by_category(movie):
    show = show_with_prices(movie, {"Classic": "120.00", "Prime": "300.00"})
    result = price_seats(show, ["Prime", "Classic", "Prime"])
    assert [(t.category, t.unit_price, t.quantity, t.amount) for t in result.tickets] == [
        ("Prime", D("300.00"), 2, D("600.00")),
        ("Classic", D("120.00"), 1, D("120.00")),
    ]


@pytest.mark.parametrize(
    "balance, applied, payable",
    [
        (None, "0.00", "140.40"),
        (D("0"), "0.00", "140.40"),
        (D("50"), "50.00", "90.40"),
        (D("140.40"), "140.40", "0.00"),
        (D("1000"), "140.40", "0.00"),
    ],
)
def test_wallet_applies_up_to_the_total(movie, balance, applied, payable):
    show = show_with_prices(movie, {"Classic": "100.00"})
    result = price_seats(show, ["Classic"], wallet_balance=balance)
    assert result.total == D("140.40")
    assert (result.wallet_applied, result.payable) == (D(applied), D(payable))


# --- quote(booking) ------------------------------------------------------------------------


@pytest.fixture
def held(movie):
    show = show_with_prices(movie, {"Classic": "100.00", "Prime": "300.00"})
    return hold_seats(make_customer(username="alice"), show, ["B1", "A1", "A2"]).booking


def test_quote_prices_the_bookings_seats(held):
    result = quote(held)
    assert (result.base, result.fee, result.total) == (D("500.00"), D("90.00"), D("670.20"))
    assert result.as_api() == {
        "base": "500.00",
        "food": "0.00",
        "bundles": "0.00",
        "items": [],
        "discount": "0.00",
        "fee": "90.00",
        "taxes": [
            # taxable and kind: what the tax invoice's lines are built from (services/invoices.py)
            {"name": LOW, "rate": "5.00", "amount": "10.00", "taxable": "200.00", "kind": "admission"},
            {"name": HIGH, "rate": "18.00", "amount": "54.00", "taxable": "300.00", "kind": "admission"},
            {"name": FEE, "rate": "18.00", "amount": "16.20", "taxable": "90.00", "kind": "fee"},
        ],
        "total": "670.20",
        "wallet_applied": "0.00",
        "payable": "670.20",
    }


def test_quote_with_the_bookings_promo_a_given_code_and_a_wallet(held):
    make_promo(code="FLAT50", kind="flat", value=D("50"))
    result = quote(held, promo_code="flat50", wallet=SimpleNamespace(balance=D("100")))
    assert (result.discount, result.total, result.wallet_applied, result.payable) == (
        D("50.00"),
        D("613.80"),
        D("100.00"),
        D("513.80"),
    )
    assert result.promo_code == "FLAT50"
    held.promo = make_promo(code="TEN", value=D("10"))
    held.save()
    assert quote(held).discount == D("50.00")
    assert quote(held, wallet=D("1000")).payable == D("0.00")


def test_quote_follows_the_settings_staff_save(held):
    set_rules(convenience_fee=D("10.00"))
    assert quote(held).fee == D("30.00")
