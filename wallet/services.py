"""The only code that changes a wallet: lock the row, write the ledger row, move the balance.

Each call is one transaction (or joins the caller's), so a balance and its ledger can never
disagree, and the CHECK constraint stops any path from taking a wallet below zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from core.errors import BookingError
from core.money import ZERO, rupees
from wallet.models import TransactionKind, Wallet, WalletTransaction
from wallet.signals import staff_credit_issued

CREDIT_KINDS = {
    TransactionKind.CREDIT,
    TransactionKind.REFUND,
    TransactionKind.BOOKING_RELEASE,
    TransactionKind.ADJUSTMENT,
    TransactionKind.GIFT_CARD,
}
DEBIT_KINDS = {TransactionKind.BOOKING_PAYMENT, TransactionKind.ADJUSTMENT}


class InsufficientFunds(BookingError):
    status = 409
    code = "insufficient_funds"


def get_wallet(user) -> Wallet:
    wallet, _ = Wallet.objects.get_or_create(user=user)
    return wallet


def balance(user) -> Decimal:
    """The customer's spendable balance (₹0.00 when they have no wallet yet); one query."""
    value = Wallet.objects.filter(user=user).values_list("balance", flat=True).first()
    return value if value is not None else ZERO


def _locked(user) -> Wallet:
    get_wallet(user)
    return Wallet.objects.select_for_update().get(user=user)


def _amount(amount) -> Decimal:
    try:
        value = rupees(Decimal(amount))
    except (ArithmeticError, TypeError, ValueError):
        raise BookingError("Enter an amount in rupees, like 250 or 99.50.") from None
    if not value.is_finite() or value <= ZERO:
        raise BookingError("The amount must be more than ₹0.")
    if value >= Decimal("10000000"):
        raise BookingError("That amount is too large.")
    return value


@transaction.atomic
def credit(user, amount, *, reason: str, kind=TransactionKind.CREDIT, booking=None, created_by=None) -> WalletTransaction:
    """Add money to the customer's wallet (finance credit, refund, a payment given back)."""
    if kind not in CREDIT_KINDS:
        raise ValueError(f"{kind} is not a credit")
    if not (reason or "").strip():
        raise BookingError("Give a reason: it is shown to the customer and kept in the ledger.")
    value = _amount(amount)
    wallet = _locked(user)
    wallet.balance += value
    wallet.save(update_fields=["balance", "updated_at"])
    return WalletTransaction.objects.create(
        wallet=wallet, amount=value, kind=kind, reason=reason.strip(), booking=booking, created_by=created_by,
        balance_after=wallet.balance,
    )  # fmt: skip


@transaction.atomic
def debit(user, amount, *, reason: str, kind=TransactionKind.BOOKING_PAYMENT, booking=None, created_by=None) -> WalletTransaction:
    """Take money from the wallet; refuses (InsufficientFunds, 409) rather than go below zero."""
    if kind not in DEBIT_KINDS:
        raise ValueError(f"{kind} is not a debit")
    value = _amount(amount)
    wallet = _locked(user)
    if wallet.balance < value:
        raise InsufficientFunds(
            gettext("Your wallet has ₹%(balance)s, less than the ₹%(needed)s needed.")
            % {"balance": wallet.balance, "needed": value}
        )
    wallet.balance -= value
    wallet.save(update_fields=["balance", "updated_at"])
    return WalletTransaction.objects.create(
        wallet=wallet, amount=-value, kind=kind, reason=reason, booking=booking, created_by=created_by,
        balance_after=wallet.balance,
    )  # fmt: skip


def refund_to_wallet(booking, amount, *, reason: str, created_by=None) -> WalletTransaction:
    """Money for a booking goes back to its customer's wallet as a `refund` ledger row."""
    return credit(booking.user, amount, reason=reason, kind=TransactionKind.REFUND, booking=booking, created_by=created_by)


# --- staff credits from the finance admin ----------------------------------------------------
STAFF_LOG_ACTIONS = {TransactionKind.CREDIT: "wallet.credit", TransactionKind.REFUND: "wallet.refund"}


@dataclass(frozen=True)
class StaffCredit:
    transaction: WalletTransaction
    duplicate: bool  # True: this request token was already used; nothing new was written


@transaction.atomic
def issue_staff_credit(wallet: Wallet, amount, *, kind: str, reason: str, by, request_token: str, booking=None) -> StaffCredit:
    """A finance credit or refund, written once per request token, with its audit-log entry.

    The token comes from the form; under the wallet's row lock we look for an audit entry
    carrying it, so a double-submitted form (or two tabs racing) credits once. The ledger row
    and the audit entry commit together.
    """
    kind = TransactionKind(kind)
    if kind not in STAFF_LOG_ACTIONS:
        raise ValueError(f"{kind} is not a staff credit")
    Wallet.objects.select_for_update().get(pk=wallet.pk)
    earlier = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Wallet),
            object_id=str(wallet.pk),
            action__in=STAFF_LOG_ACTIONS.values(),
            data__request_token=request_token,
        )
        .values_list("data__transaction", flat=True)
        .first()
    )
    if earlier is not None:
        return StaffCredit(WalletTransaction.objects.get(pk=earlier), duplicate=True)
    if kind == TransactionKind.REFUND:
        if booking is None:
            raise BookingError("A refund needs the booking it refunds.")
        row = refund_to_wallet(booking, amount, reason=reason, created_by=by)
    else:
        row = credit(wallet.user, amount, reason=reason, booking=booking, created_by=by)
    log(
        instance=wallet,
        action=STAFF_LOG_ACTIONS[kind],
        user=by,
        data={
            "amount": str(row.amount),
            "reason": row.reason,
            "booking": booking.reference if booking else None,
            "transaction": row.pk,
            "balance_after": str(row.balance_after),
            "request_token": request_token,
        },
    )
    staff_credit_issued.send(sender=Wallet, entry=row)  # ticketing e-mails the customer
    return StaffCredit(row, duplicate=False)
