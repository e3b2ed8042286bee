"""Finance sees every gift card issued, redeemed and outstanding (with CSV/XLSX), and refunds
one nobody redeemed; an intern with admin access only sees neither."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import make_user
from tests.fixtures.checkout import committed, fund, pay, signed_in
from tests.giftcards.conftest import bought, redeem
from ticketing.models import Booking, BookingState, GiftCard, GiftCardState, Refund
from wallet.models import Wallet

pytestmark = pytest.mark.django_db
REPORT = "/admin/reports/gift_cards/"


@pytest.fixture
def finance(db):
    user = make_user(username="fin", email="fin@example.com")
    user.groups.add(Group.objects.get(name="Finance"))
    return signed_in(user)


@pytest.fixture
def three_cards(alice, as_alice, as_ravi, issued):
    """₹1,000 redeemed by Ravi, ₹300 and ₹200 outstanding, one ₹5,000 purchase never paid."""
    redeem(as_ravi, issued[1])
    fund(alice, 500)
    for amount in (300, 200):
        pay(as_alice, bought(as_alice, amount=amount), use_wallet=True)
    bought(as_alice, amount=5000)
    return issued[0]


def test_the_report_lists_issued_cards_with_totals(finance, three_cards):
    response = finance.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Issued in the period</th>" in html
    assert "3 · ₹1,500.00" in html  # issued
    assert "1 · ₹1,000.00" in html  # redeemed
    assert "2 · ₹500.00" in html  # outstanding now
    assert "₹5,000" not in html  # never paid: never issued
    assert html.count(">Refund</a>") == 2  # the two outstanding ones
    assert "ravi@example.com" in html


def test_the_report_filters_by_status_and_exports(finance, three_cards):
    html = finance.get(REPORT, {"state": "redeemed"}).content.decode()
    assert html.count(">Refund</a>") == 0 and "ravi@example.com" in html
    csv = b"".join(finance.get(REPORT, {"export": "csv"}).streaming_content).decode()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("Purchase,Issued,Bought by,For,Amount (INR),Status")
    assert len(lines) == 4
    assert any(",Redeemed," in line and "ravi@example.com" in line for line in lines)
    xlsx = finance.get(REPORT, {"export": "xlsx"})
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_an_intern_without_the_permission_is_refused(db, three_cards):
    intern = signed_in(make_user("wagtailadmin.access_admin", username="intern", email="intern@example.com"))
    assert intern.get(REPORT).status_code == 403
    reference = GiftCard.objects.filter(state=GiftCardState.ISSUED).first().booking.reference
    assert intern.post(f"/admin/gift-cards/{reference}/refund/", {"destination": "wallet", "reason": "x"}).status_code == 403


def test_finance_refunds_an_unredeemed_card_to_the_buyers_wallet(finance, alice, as_ravi, three_cards):
    card = GiftCard.objects.filter(state=GiftCardState.ISSUED, amount=Decimal("300.00")).get()
    before = Wallet.objects.get(user=alice).balance
    url = f"/admin/gift-cards/{card.booking.reference}/refund/"
    assert finance.get(url).status_code == 200
    with committed():
        response = finance.post(url, {"destination": "wallet", "reason": "Bought by mistake"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.state == GiftCardState.REFUNDED and card.refunded_at
    assert Booking.objects.get(pk=card.booking_id).state == BookingState.REFUNDED
    assert Wallet.objects.get(user=alice).balance == before + Decimal("300.00")
    assert Refund.objects.get(booking=card.booking).amount == Decimal("300.00")
    # Refunding again, or a redeemed card, is refused and changes nothing.
    again = finance.post(url, {"destination": "wallet", "reason": "Twice"})
    assert again.status_code == 200 and "Only an issued gift card" in again.content.decode()
    redeemed = f"/admin/gift-cards/{three_cards.booking.reference}/refund/"
    assert "Only an issued gift card" in finance.post(redeemed, {"destination": "wallet", "reason": "x"}).content.decode()
    assert Refund.objects.count() == 1


def test_a_refunded_cards_code_no_longer_works(finance, alice, as_alice, as_ravi):
    from django.core import mail

    from tests.giftcards.conftest import code_in

    fund(alice, 1000)
    booking = bought(as_alice, recipient_email="zoe@example.com")
    pay(as_alice, booking, use_wallet=True)
    code = code_in(next(m for m in mail.outbox if m.to == ["zoe@example.com"]))
    with committed():
        finance.post(f"/admin/gift-cards/{booking.reference}/refund/", {"destination": "wallet", "reason": "Lost"})
    response = redeem(as_ravi, code)
    assert response.status_code == 409
    assert "refunded" in response.json()["detail"]


def test_a_gateway_paid_card_is_refunded_to_its_source(finance, alice, as_alice, sandbox):
    from tests.fixtures.checkout import callback

    booking = bought(as_alice, amount=400)
    data = pay(as_alice, booking).json()
    made = sandbox.pay(data["order_id"], succeed=True)
    callback(as_alice, sandbox, data["order_id"], made.payment_id)
    with committed():
        finance.post(f"/admin/gift-cards/{booking.reference}/refund/", {"destination": "source", "reason": "Changed mind"})
    refund = Refund.objects.get(booking=booking)
    assert (refund.destination, refund.amount) == ("source", Decimal("400.00"))
    assert not Wallet.objects.filter(user=alice, balance__gt=0).exists()


def test_the_bookings_admin_lists_a_purchase_and_will_not_cancel_it_behind_the_cards_back(finance, alice, as_alice):
    fund(alice, 1000)
    booking = bought(as_alice)
    pay(as_alice, booking, use_wallet=True)
    listing = finance.get(reverse("bookings:index"))
    assert listing.status_code == 200 and "Gift card (no show)" in listing.content.decode()
    assert finance.get(reverse("bookings:inspect", args=[booking.pk])).status_code == 200
    response = finance.post(reverse("bookings:cancel", args=[booking.pk]), {"destination": "wallet", "reason": "x"})
    assert "refunded from Reports → Gift cards" in response.content.decode()
    assert GiftCard.objects.get(booking=booking).state == GiftCardState.ISSUED
    assert not Refund.objects.exists()
