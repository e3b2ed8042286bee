"""wallet.services: credits, debits, refunds; the balance always equals the ledger's sum."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from tests.factories import make_customer
from tests.wallet.conftest import booking_for
from ticketing.errors import BookingError
from wallet import services
from wallet.models import ReadOnlyLedger, TransactionKind, Wallet, WalletTransaction

pytestmark = pytest.mark.django_db


def ledger_sum(user) -> Decimal:
    return WalletTransaction.objects.filter(wallet__user=user).aggregate(s=Sum("amount"))["s"] or Decimal("0")


def test_balance_is_zero_without_a_wallet(customer):
    assert services.balance(customer) == Decimal("0.00")
    assert not Wallet.objects.exists()


def test_credit_then_debit_keeps_balance_equal_to_ledger(customer, admin_user):
    row = services.credit(customer, "250.50", reason="Goodwill", created_by=admin_user)
    assert (row.amount, row.kind, row.balance_after, row.created_by) == (
        Decimal("250.50"),
        "credit",
        Decimal("250.50"),
        admin_user,
    )
    services.debit(customer, Decimal("100"), reason="Booking")
    services.credit(customer, 10, reason="Promo", kind=TransactionKind.ADJUSTMENT)
    assert services.balance(customer) == Decimal("160.50") == ledger_sum(customer)
    assert [r.balance_after for r in WalletTransaction.objects.order_by("pk")] == [
        Decimal("250.50"),
        Decimal("150.50"),
        Decimal("160.50"),
    ]


def test_debit_below_zero_is_refused_and_writes_nothing(customer):
    services.credit(customer, 50, reason="Goodwill")
    with pytest.raises(services.InsufficientFunds):
        services.debit(customer, "50.01", reason="Booking")
    assert services.balance(customer) == Decimal("50.00") == ledger_sum(customer)
    assert WalletTransaction.objects.count() == 1


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1e9", None])
def test_bad_amounts_are_refused_with_a_message(customer, amount):
    with pytest.raises(BookingError) as excinfo:
        services.credit(customer, amount, reason="x")
    assert excinfo.value.message
    assert not WalletTransaction.objects.exists()


def test_credit_needs_a_reason_and_a_credit_kind(customer):
    with pytest.raises(BookingError):
        services.credit(customer, 10, reason="  ")
    with pytest.raises(ValueError):
        services.credit(customer, 10, reason="x", kind=TransactionKind.BOOKING_PAYMENT)
    with pytest.raises(ValueError):
        services.debit(customer, 10, reason="x", kind=TransactionKind.REFUND)


def test_refund_to_wallet_credits_the_bookings_customer(customer, show):
    booking = booking_for(customer, show)
    row = services.refund_to_wallet(booking, Decimal("250"), reason="Show cancelled")
    assert (row.kind, row.booking, row.wallet.user) == ("refund", booking, customer)
    assert services.balance(customer) == Decimal("250.00")


def test_check_constraint_refuses_a_negative_balance(customer):
    services.credit(customer, 10, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Wallet.objects.filter(user=customer).update(balance=Decimal("-1"))
    assert services.balance(customer) == Decimal("10.00")


def test_ledger_rows_refuse_save_and_delete(customer):
    row = services.credit(customer, 10, reason="x")
    row.amount = Decimal("1000")
    with pytest.raises(ReadOnlyLedger):
        row.save()
    with pytest.raises(ReadOnlyLedger):
        row.delete()
    assert WalletTransaction.objects.get().amount == Decimal("10.00")


def test_wallets_are_per_customer(customer):
    other = make_customer(username="eve", email="eve@example.com")
    services.credit(customer, 10, reason="x")
    services.credit(other, 20, reason="y")
    assert (services.balance(customer), services.balance(other)) == (Decimal("10.00"), Decimal("20.00"))


def test_staff_credit_is_written_once_per_token(customer, admin_user):
    wallet = services.get_wallet(customer)
    first = services.issue_staff_credit(wallet, 100, kind="credit", reason="Sorry", by=admin_user, request_token="a" * 32)
    again = services.issue_staff_credit(wallet, 100, kind="credit", reason="Sorry", by=admin_user, request_token="a" * 32)
    assert not first.duplicate and again.duplicate and again.transaction == first.transaction
    assert services.balance(customer) == Decimal("100.00") == ledger_sum(customer)
