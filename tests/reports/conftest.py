"""A small box office history for the report tests, made through the real services (hold,
promo, checkout, sandbox payment, finalizer, cancellation), so the frozen quotes, tickets,
ledger rows and refunds are exactly what production writes.

Two movies at two theaters; sales on two IST days (18 and 19 November 2026):
  day 1  alice  Dune    A1 A2  wallet only
         bob    Arrival A1     gateway, promo TENOFF
  day 2  carol  Dune    B1     wallet ₹100 + gateway
         dave   Arrival A2 A3  wallet, then cancelled by finance and refunded to the wallet
         erin   Dune    A5     wallet ₹50 + gateway, cancelled and refunded to the source
plus bookings that must never count: holds and a checkout left pending at the gateway.
The clock is back at the suite's frozen instant afterwards (20 November, 10:00 IST).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from tests.factories import local_dt, make_customer, make_movie, make_promo, make_screen, make_show, make_user
from tests.fixtures.base import FROZEN_AT
from tests.fixtures.checkout import committed
from ticketing.models import Booking
from ticketing.services import promos
from ticketing.services.checkout import start_checkout
from ticketing.services.finalize import finalize_payment
from ticketing.services.holds import hold_seats
from wallet import services as wallet

DAY1 = local_dt(2026, 11, 18, 11)
DAY2 = local_dt(2026, 11, 19, 12)


@dataclass
class History:
    dune: object
    arrival: object
    promo: object
    bookings: dict = field(default_factory=dict)

    def paid(self):
        return list(Booking.objects.filter(reference__in=[b.reference for b in self.bookings.values()]))


def buy(user, show, seats, *, wallet_funds=0, promo=None, sandbox=None):
    """Hold, optionally add a promo code, pay (wallet first), and finish any gateway part."""
    if wallet_funds:
        wallet.credit(user, Decimal(wallet_funds), reason="Top-up")
    booking = hold_seats(user, show, seats).booking
    if promo:
        booking = promos.apply_promo(booking, promo.code)
    with committed():
        result = start_checkout(booking, use_wallet=bool(wallet_funds))
    if result.gateway:
        made = sandbox.pay(result.gateway["order_id"])
        with committed():
            finalize_payment(order_id=result.gateway["order_id"], payment_id=made.payment_id, source="callback", gateway=sandbox)
    return Booking.objects.get(pk=booking.pk)


def cancel(booking, destination):
    from ticketing.services.cancellation import cancel_booking

    with committed():
        return cancel_booking(booking, destination=destination, reason="Customer called")


@pytest.fixture
def sandbox():
    from ticketing.payments.sandbox import SandboxGateway

    return SandboxGateway()


@pytest.fixture
def history(db, clock, hindi, sandbox, monkeypatch):
    monkeypatch.setattr("ticketing.payments.get_gateway", lambda: sandbox)
    dune = make_show(
        movie=make_movie(languages=[hindi], title="Dune", slug="dune"),
        screen=make_screen(),
        starts_at=local_dt(2026, 11, 21, 18),
    )
    arrival = make_show(
        movie=make_movie(languages=[hindi], title="Arrival", slug="arrival"),
        screen=make_screen(),
        starts_at=local_dt(2026, 11, 22, 18),
    )
    promo = make_promo(code="TENOFF", value=Decimal("10"))
    people = {
        name: make_customer(username=name, email=f"{name}@example.com")
        for name in ("alice", "bob", "carol", "dave", "erin", "finn", "gus", "hal")
    }
    h = History(dune=dune, arrival=arrival, promo=promo)

    clock.move_to(DAY1)
    h.bookings["alice"] = buy(people["alice"], dune, ["A1", "A2"], wallet_funds=1000)
    h.bookings["bob"] = buy(people["bob"], arrival, ["A1"], promo=promo, sandbox=sandbox)

    clock.move_to(DAY2)
    h.bookings["carol"] = buy(people["carol"], dune, ["B1"], wallet_funds=100, sandbox=sandbox)
    h.bookings["dave"] = buy(people["dave"], arrival, ["A2", "A3"], wallet_funds=1000)
    h.bookings["erin"] = buy(people["erin"], dune, ["A5"], wallet_funds=50, sandbox=sandbox)
    clock.shift(timedelta(hours=3))
    h.bookings["dave"] = cancel(h.bookings["dave"], "wallet")
    h.bookings["erin"] = cancel(h.bookings["erin"], "source")

    # Never sales: holds, and a checkout left pending at the gateway.
    hold_seats(people["finn"], dune, ["A7"])
    pending = hold_seats(people["gus"], dune, ["A8"]).booking
    with committed():
        start_checkout(pending, use_wallet=False)
    hold_seats(people["hal"], arrival, ["A9"])
    clock.move_to(FROZEN_AT)  # the next morning: every hold above has run out
    return h


@pytest.fixture
def finance(db):
    user = make_user(username="fin", email="fin@example.com")
    user.groups.add(Group.objects.get(name="Finance"))
    return user


@pytest.fixture
def admin_only(db):
    return make_user("wagtailadmin.access_admin", username="intern", email="intern@example.com")


def expected_sales(bookings) -> dict:
    """The sales figures worked out by hand from the bookings themselves."""
    from ticketing.models import Refund

    money = {key: Decimal("0.00") for key in ("gross", "discount", "fee", "gst", "total", "wallet", "gateway", "refunded")}
    tickets = 0
    for booking in bookings:
        quote = booking.price_breakdown
        money["gross"] += Decimal(quote["base"])
        money["discount"] += Decimal(quote["discount"])
        money["fee"] += Decimal(quote["fee"])
        money["gst"] += sum((Decimal(line["amount"]) for line in quote["taxes"]), Decimal("0.00"))
        money["total"] += booking.total
        money["wallet"] += booking.wallet_amount
        money["gateway"] += booking.gateway_amount
        if booking.state in ("cancelled", "refunded"):
            money["refunded"] += sum(r.amount for r in Refund.objects.filter(booking=booking, status="processed"))
        tickets += booking.tickets.count()
    money["net"] = money["total"] - money["refunded"]
    return {"bookings": len(bookings), "tickets": tickets, **money}


def more_sales(show, day, count: int, start: int = 0):
    """Extra paid bookings written directly (fast), for the query-count tests."""
    from ticketing.models import Refund, Ticket

    for n in range(start, start + count):
        user = make_customer(username=f"extra{show.pk}-{day:%d}-{n}", email=f"extra{show.pk}-{day:%d}-{n}@example.com")
        quote = {
            "base": "200.00",
            "discount": "0.00",
            "fee": "30.00",
            "taxes": [{"name": "GST", "rate": "18", "amount": "41.40"}],
            "total": "271.40",
        }
        booking = Booking.objects.create(
            user=user,
            show=show,
            state="refunded" if n % 3 == 0 else "confirmed",
            seats=[f"Z{n}"],
            total=Decimal("271.40"),
            wallet_amount=Decimal("271.40"),
            payment_mode="wallet",
            price_breakdown=quote,
            confirmed_at=day,
        )
        Ticket.objects.create(booking=booking, show=show, seat_label=f"Z{n}", category="Classic")
        if booking.state == "refunded":
            Refund.objects.create(
                booking=booking, destination="wallet", amount=Decimal("271.40"), status="processed", reason="test"
            )
