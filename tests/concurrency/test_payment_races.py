"""Money under concurrency, each actor on its own PostgreSQL connection: the callback and the
webhook finalizing the same payment at once, fifty debits on one wallet, and two customers
paying late for the same seat (docs/DESIGN.md §3: one finalizer, wallet ledger)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from tests.concurrency.test_promo_race import run_together
from tests.factories import make_customer, make_movie, make_show
from ticketing.models import Booking, BookingState, Payment, PaymentStatus, SeatState, ShowSeat
from ticketing.payments.sandbox import SandboxGateway
from ticketing.services.checkout import start_checkout
from ticketing.services.finalize import finalize_payment
from ticketing.services.holds import hold_seats
from wallet import services as wallet
from wallet.models import Wallet, WalletTransaction

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks and many connections at once"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_callback_and_webhook_racing_confirm_once():
    show = make_show(movie=make_movie())
    alice = make_customer(username="alice", email="alice@example.com")
    wallet.credit(alice, Decimal("100"), reason="Gift")
    booking = hold_seats(alice, show, ["A1", "A2"]).booking
    order_id = start_checkout(booking, use_wallet=True).gateway["order_id"]
    made = SandboxGateway().pay(order_id)
    mail.outbox.clear()
    results = run_together(
        [
            lambda source=source: finalize_payment(order_id=order_id, payment_id=made.payment_id, source=source)
            for source in ("callback", "webhook") * 4
        ]
    )
    outcomes = sorted(r.outcome if hasattr(r, "outcome") else repr(r) for r in results)
    assert outcomes == ["already_confirmed"] * 7 + ["confirmed"]
    assert Booking.objects.get(pk=booking.pk).state == BookingState.CONFIRMED
    assert Payment.objects.filter(payment_id=made.payment_id, status=PaymentStatus.PAID).count() == 1
    assert WalletTransaction.objects.filter(booking=booking, kind="booking_payment").count() == 1
    assert [m.subject for m in mail.outbox] == [f"Your booking {booking.reference} is confirmed"]


def test_fifty_debits_at_once_never_take_a_wallet_below_zero():
    customer = make_customer(username="spender")
    wallet.credit(customer, Decimal("1000"), reason="Start")
    results = run_together([lambda: wallet.debit(customer, Decimal("30"), reason="Race") for _ in range(50)])
    succeeded = [r for r in results if isinstance(r, WalletTransaction)]
    refused = [r for r in results if isinstance(r, wallet.InsufficientFunds)]
    assert (len(succeeded), len(refused)) == (33, 17)
    balance = Wallet.objects.get(user=customer).balance
    assert balance == Decimal("10.00")
    assert WalletTransaction.objects.filter(wallet__user=customer).aggregate(s=Sum("amount"))["s"] == balance


def run_out(booking) -> None:
    """The hold's ten minutes have passed (real time runs here: move the hold, not the clock)."""
    past = timezone.now() - timedelta(minutes=1)
    Booking.objects.filter(pk=booking.pk).update(held_until=past)
    ShowSeat.objects.filter(booking=booking).update(held_until=past)


def test_two_late_payments_for_the_same_seat_one_confirms_one_is_refunded():
    show = make_show(movie=make_movie())
    alice, bob = make_customer(username="alice"), make_customer(username="bob")
    first = hold_seats(alice, show, ["A1", "A2"]).booking
    first_order = start_checkout(first, use_wallet=False).gateway["order_id"]
    run_out(first)
    second = hold_seats(bob, show, ["A2", "A3"]).booking
    second_order = start_checkout(second, use_wallet=False).gateway["order_id"]
    run_out(second)  # both holds have run out
    sandbox = SandboxGateway()
    payments = [(first_order, sandbox.pay(first_order).payment_id), (second_order, sandbox.pay(second_order).payment_id)]
    results = run_together([lambda o=o, p=p: finalize_payment(order_id=o, payment_id=p, source="webhook") for o, p in payments])
    assert sorted(r.outcome for r in results) == ["confirmed", "refunded"]
    winner = next(r.booking for r in results if r.outcome == "confirmed")
    loser = next(r.booking for r in results if r.outcome == "refunded")
    assert ShowSeat.objects.get(show=show, label="A2").booking_id == winner.pk
    assert ShowSeat.objects.get(show=show, label="A2").state == SeatState.SOLD
    assert Booking.objects.get(pk=loser.pk).state == BookingState.EXPIRED
    assert loser.refunds.get().status == "processed"
