"""Late payments (both branches), cancellations under the policy, staff cancellations, a
cancelled show, and the reconcile task settling what the browser never reported."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from home.models import BookingSettings
from tests.fixtures.checkout import TOTAL_A1_A2, callback, committed, fund, pay, set_tiers, signed_in
from ticketing.models import Booking, BookingState, Refund, SeatState, ShowSeat
from ticketing.services import cancellation
from ticketing.services.holds import expire_holds, hold_seats
from ticketing.services.reconcile import reconcile_payments
from ticketing.services.seatmap import public_state
from wallet.models import Wallet

pytestmark = pytest.mark.django_db


def states(show, *labels):
    """What every reader sees: a lapsed hold reads as available (the sweep leaves its row)."""
    now = timezone.now()
    rows = ShowSeat.objects.filter(show=show, label__in=labels).values_list("label", "state", "held_until")
    return {label: public_state(state, until, now) for label, state, until in rows}


def test_a_late_payment_reclaims_free_seats_and_confirms(clock, as_alice, alice, held, show, sandbox):
    data = pay(as_alice, held).json()
    clock.shift(timedelta(minutes=12))
    expire_holds()
    assert states(show, "A1", "A2") == {"A1": SeatState.AVAILABLE, "A2": SeatState.AVAILABLE}
    callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"]).payment_id)
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED
    assert states(show, "A1", "A2") == {"A1": SeatState.SOLD, "A2": SeatState.SOLD}


def test_a_late_payment_for_taken_seats_is_refunded_both_parts(clock, as_alice, alice, bob, held, show, sandbox):
    fund(alice, 100)
    data = pay(as_alice, held, use_wallet=True).json()
    clock.shift(timedelta(minutes=12))
    hold_seats(bob, show, ["A2"])  # the seat went to someone else
    callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"]).payment_id)
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.EXPIRED
    refund = booking.refunds.get()
    assert (refund.destination, refund.amount, refund.status) == ("source", TOTAL_A1_A2 - 100, "processed")
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")  # the wallet part came back
    assert states(show, "A1") == {"A1": SeatState.AVAILABLE}
    assert "refunded" in mail.outbox[-1].subject


def test_a_late_card_payment_for_one_taken_seat_sells_neither(clock, as_alice, alice, bob, held, show, sandbox):
    """Nothing to re-take but the seats: the sale is all or nothing by itself (on PostgreSQL
    one statement, no savepoint), so the free seat A1 is not left sold to a refunded booking."""
    data = pay(as_alice, held).json()
    clock.shift(timedelta(minutes=12))
    hold_seats(bob, show, ["A2"])
    callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"]).payment_id)
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.EXPIRED and booking.confirmed_at is None
    assert booking.refunds.get().amount == TOTAL_A1_A2
    assert states(show, "A1") == {"A1": SeatState.AVAILABLE}
    assert not ShowSeat.objects.filter(booking=booking, state=SeatState.SOLD).exists()
    assert not booking.tickets.exists()


def test_customer_cancels_to_the_wallet_before_the_cutoff(as_alice, alice, held, show, sandbox):
    data = pay(as_alice, held).json()
    callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"]).payment_id)
    with committed():
        response = as_alice.post(f"/api/bookings/{held.reference}/cancel")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "refunded"
    assert Wallet.objects.get(user=alice).balance == TOTAL_A1_A2
    assert states(show, "A1", "A2") == {"A1": SeatState.AVAILABLE, "A2": SeatState.AVAILABLE}
    assert as_alice.post(f"/api/bookings/{held.reference}/cancel").status_code == 400  # once


def test_customer_cancels_to_the_source_minus_the_fee(as_alice, alice, held, sandbox):
    set_tiers(("source", 0, 2, False, 0), ("source", 2, None, True, 10))
    fund(alice, 100)
    data = pay(as_alice, held, use_wallet=True).json()
    callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"]).payment_id)
    with committed():
        assert as_alice.post(f"/api/bookings/{held.reference}/cancel").status_code == 200
    fee = Decimal("54.28")  # 10 % of 542.80, kept from the gateway part first
    source = Refund.objects.get(booking=held, destination="source")
    assert source.amount == TOTAL_A1_A2 - 100 - fee
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")


def test_no_customer_cancellation_after_the_cutoff(clock, as_alice, alice, held, show):
    fund(alice, 1000)
    pay(as_alice, held, use_wallet=True)
    clock.move_to(show.starts_at - timedelta(hours=1))
    response = as_alice.post(f"/api/bookings/{held.reference}/cancel")
    assert response.status_code == 400
    assert "until 2 h before the show" in response.json()["detail"]
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED


def test_customer_cancellation_can_be_switched_off(as_alice, alice, held):
    rules = BookingSettings.load()
    rules.customer_cancellation = False
    rules.save()
    fund(alice, 1000)
    pay(as_alice, held, use_wallet=True)
    assert as_alice.post(f"/api/bookings/{held.reference}/cancel").status_code == 400


def test_staff_cancel_to_the_source_refunds_in_full(as_alice, alice, held, sandbox, admin_user):
    fund(alice, 100)
    data = pay(as_alice, held, use_wallet=True).json()
    callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"]).payment_id)
    with committed():
        cancellation.cancel_booking(held, destination="source", reason="Projector broke", by=admin_user)
    refunds = {r.destination: r.amount for r in Refund.objects.filter(booking=held)}
    assert refunds == {"source": TOTAL_A1_A2 - 100, "wallet": Decimal("100.00")}
    assert Refund.objects.get(booking=held, destination="source").created_by == admin_user


def test_cancelling_a_show_refunds_everyone_once(as_alice, alice, bob, held, show, admin_user):
    fund(alice, 1000)
    fund(bob, 1000)
    pay(as_alice, held, use_wallet=True)
    theirs = hold_seats(bob, show, ["B1"]).booking
    pay(signed_in(bob), theirs, use_wallet=True)
    mail.outbox.clear()
    with committed():
        count = cancellation.cancel_show(show, destination="wallet", reason="Print did not arrive", by=admin_user)
    assert count == 2
    assert Wallet.objects.get(user=alice).balance == Decimal("1000.00")
    assert Wallet.objects.get(user=bob).balance == Decimal("1000.00")
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]
    show.refresh_from_db()
    assert show.status == "cancelled"
    with committed():
        assert cancellation.cancel_show(show, destination="wallet", reason="again", by=admin_user) == 0
    assert Wallet.objects.get(user=alice).balance == Decimal("1000.00")


def test_reconcile_confirms_a_payment_nobody_reported(clock, as_alice, held, sandbox):
    data = pay(as_alice, held).json()
    sandbox.pay(data["order_id"])  # paid, but the browser closed and no webhook came
    clock.shift(timedelta(minutes=3))
    with committed():
        counts = reconcile_payments(gateway=sandbox)
    assert counts["confirmed"] == 1
    assert Booking.objects.get(pk=held.pk).state == BookingState.CONFIRMED


def test_reconcile_closes_an_unpaid_order_and_returns_the_wallet_part(clock, as_alice, alice, held, sandbox):
    fund(alice, 100)
    pay(as_alice, held, use_wallet=True)
    clock.shift(timedelta(minutes=16))
    with committed():
        counts = reconcile_payments(gateway=sandbox)
    assert counts["closed"] == 1
    assert Booking.objects.get(pk=held.pk).state == BookingState.EXPIRED
    assert Wallet.objects.get(user=alice).balance == Decimal("100.00")


def test_a_refund_the_gateway_refuses_for_now_is_retried_until_done(monkeypatch, clock, as_alice, bob, held, show, sandbox):
    from ticketing.payments.base import GatewayError
    from ticketing.payments.sandbox import SandboxGateway

    data = pay(as_alice, held).json()
    clock.shift(timedelta(minutes=12))
    hold_seats(bob, show, ["A1"])
    real = SandboxGateway.refund

    def down(self, *args, **kwargs):
        raise GatewayError("Gateway busy", retryable=True)

    monkeypatch.setattr(SandboxGateway, "refund", down)
    callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"]).payment_id)
    refund = Refund.objects.get(booking=held)
    assert (refund.status, refund.attempts) == ("pending", 1)  # staff see it pending
    monkeypatch.setattr(SandboxGateway, "refund", real)
    reconcile_payments(gateway=SandboxGateway())
    refund.refresh_from_db()
    assert refund.status == "processed"
    reconcile_payments(gateway=SandboxGateway())
    assert sandbox.order_payments(data["order_id"])[0].status in ("captured", "refunded")
    from ticketing.models import SandboxRefund

    assert SandboxRefund.objects.count() == 1  # never refunded twice


def test_finance_cancels_and_refunds_from_the_admin_for_real(client, as_alice, alice, held, show, sandbox):
    """The admin's "Cancel and refund" form with the real services (not stand-ins)."""
    from django.contrib.auth.models import Group

    from tests.factories import make_user

    finance = make_user(username="fin", email="fin@example.com")
    finance.groups.add(Group.objects.get(name="Finance"))
    data = pay(as_alice, held).json()
    callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"]).payment_id)
    client.force_login(finance)
    with committed():
        response = client.post(
            f"/admin/bookings/{held.pk}/cancel/", {"destination": "wallet", "reason": "Customer called the box office"}
        )
    assert response.status_code == 302
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.REFUNDED
    assert Wallet.objects.get(user=alice).balance == TOTAL_A1_A2
    assert Refund.objects.get(booking=booking).created_by == finance
    assert states(show, "A1", "A2") == {"A1": SeatState.AVAILABLE, "A2": SeatState.AVAILABLE}
