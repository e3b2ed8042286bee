"""quote() with food and drinks (docs/DESIGN.md §3, one pricing function): food lines and one
food GST line at Booking settings' rate, bundles taxed as tickets, promo codes only on food
when they say so, every line rounded once."""

from decimal import Decimal

import pytest

from core.booking_rules import BookingSettings
from tests.factories import make_concession, make_promo
from ticketing.errors import BookingError
from ticketing.services.booking_items import set_items
from ticketing.services.holds import hold_seats
from ticketing.services.pricing import quote


def taxes(priced) -> dict:
    return {tax.name: tax.amount for tax in priced.taxes}


def test_food_lines_and_a_food_tax_line_at_five_percent(held, popcorn):
    priced = quote(set_items(held, [("POP-L", 2)]))
    assert priced.base == Decimal("400.00")
    assert priced.food == Decimal("600.00")
    assert [(i.sku, i.quantity, i.amount) for i in priced.items] == [("POP-L", 2, Decimal("600.00"))]
    assert taxes(priced)["GST on food and drinks @ 5% (SAC 996331)"] == Decimal("30.00")
    assert priced.total == Decimal("1172.80")  # 542.80 for the seats + 600 + 30


def test_the_food_rate_and_sac_come_from_booking_settings(held, popcorn):
    rules = BookingSettings.load()
    rules.food_gst_rate = Decimal("12.00")
    rules.food_sac = "996332"
    rules.save()
    priced = quote(set_items(held, [("POP-L", 1)]))
    assert taxes(priced)["GST on food and drinks @ 12% (SAC 996332)"] == Decimal("36.00")


def test_the_food_tax_is_rounded_once_on_the_line(held):
    make_concession(sku="MINT", name="Mint", price="10.10", category="snacks")
    priced = quote(set_items(held, [("MINT", 3)]))
    # 30.30 × 5% = 1.515 → 1.52 (per unit it would be 0.51 × 3 = 1.53)
    assert taxes(priced)["GST on food and drinks @ 5% (SAC 996331)"] == Decimal("1.52")


def test_a_bundle_is_one_line_taxed_at_the_ticket_rate(alice, show, bundle):
    booking = hold_seats(alice, show, ["B1", "B2"]).booking  # Prime, ₹250 each
    priced = quote(set_items(booking, [("BND-2P", 1)]))
    assert priced.tickets == []  # the bundle covers both seats
    assert priced.base == Decimal("0.00")
    assert priced.bundles == Decimal("900.00")
    assert priced.food == Decimal("0.00")
    assert taxes(priced) == {"GST on tickets @ 18%": Decimal("162.00"), "GST on convenience fee @ 18%": Decimal("10.80")}
    assert priced.total == Decimal("1132.80")


def test_a_bundle_without_its_seats_is_refused(held, bundle):
    with pytest.raises(BookingError, match="Prime"):
        set_items(held, [("BND-2P", 1)])  # A1, A2 are Classic
    held.refresh_from_db()
    assert not held.has_items and not held.items.exists()


def test_a_promo_code_leaves_food_alone_unless_it_says_so(held, popcorn):
    booking = set_items(held, [("POP-L", 2)])
    booking.promo = make_promo(code="TEN")
    booking.save()
    priced = quote(booking)
    assert priced.discount == Decimal("40.00")  # 10 % of the tickets only
    assert taxes(priced)["GST on food and drinks @ 5% (SAC 996331)"] == Decimal("30.00")
    assert priced.total == Decimal("1125.60")


def test_a_promo_code_for_food_shares_its_discount_with_the_food(held, popcorn):
    booking = set_items(held, [("POP-L", 2)])
    booking.promo = make_promo(code="FOODTEN", applies_to_food=True)
    booking.save()
    priced = quote(booking)
    assert priced.discount == Decimal("100.00")  # 10 % of 400 + 600
    assert taxes(priced)["GST on tickets @ 18%"] == Decimal("64.80")  # on 400 − 40
    assert taxes(priced)["GST on food and drinks @ 5% (SAC 996331)"] == Decimal("27.00")  # on 600 − 60
    assert priced.total == Decimal("1062.60")


def test_a_booking_without_items_prices_as_before(held):
    priced = quote(held)
    assert priced.items == [] and priced.food == Decimal("0.00")
    assert priced.total == Decimal("542.80")
    assert "food" in priced.as_api() and priced.as_api()["items"] == []
