"""Demo customers for ``seed_demo --customers N``: customer1@example.com … customerN@example.com.

Each is an ordinary customer as allauth's sign-up would leave it (a generated username, the
e-mail on the user and one primary address), with the address already verified so it can hold
seats at once, and a ₹1,000 wallet credit for the first 50. Running again creates only the missing ones; existing customers keep their
password, and their address is (re)marked verified and primary.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from wallet.services import credit

PASSWORD = "marquee-customer"
MAX_CUSTOMERS = 10_000
WALLET_CUSTOMERS = 50  # the first ones get a demo wallet balance
WELCOME_CREDIT = Decimal("1000")


def customer_email(number: int) -> str:
    return f"customer{number}@example.com"


@dataclass
class CustomerLogins:
    """What the command prints: the range of logins, their password and how many are new."""

    count: int
    created: int
    password: str = PASSWORD

    @property
    def first(self) -> str:
        return customer_email(1)

    @property
    def last(self) -> str:
        return customer_email(self.count)


def ensure_customers(count: int) -> CustomerLogins:
    """Create the customers that are missing, in a handful of queries whatever ``count`` is."""
    if count <= 0:
        return CustomerLogins(count=0, created=0)
    User = get_user_model()
    emails = [customer_email(number) for number in range(1, count + 1)]
    addresses = {a.email.lower(): a for a in EmailAddress.objects.filter(email__in=emails).select_related("user")}
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    missing = [email for email in emails if email not in addresses and email not in users]

    new_users = _build_users(User, missing)
    User.objects.bulk_create(new_users)
    users.update({user.email: user for user in User.objects.filter(email__in=missing)})

    new_addresses, to_fix = [], []
    for email in emails:
        address = addresses.get(email)
        if address is None and email in missing:
            new_addresses.append(EmailAddress(user=users[email], email=email, verified=True, primary=True))
        elif address is None:  # a user with this e-mail but no allauth address yet
            to_fix.append(EmailAddress.objects.create(user=users[email], email=email, verified=True, primary=False))
        elif not (address.verified and address.primary):
            to_fix.append(address)
    EmailAddress.objects.bulk_create(new_addresses)
    for address in to_fix:  # rare: only after someone changed a demo customer by hand
        address.verified = True
        address.save(update_fields=["verified"])
        address.set_as_primary()  # un-marks any other primary address of that user first
    _welcome_credit([users[email] for email in missing[:WALLET_CUSTOMERS]])
    return CustomerLogins(count=count, created=len(new_users))


def _welcome_credit(users) -> None:
    """New demo customers start with ₹1,000 in their wallet, so paying by wallet can be tried."""
    for user in users:
        credit(user, WELCOME_CREDIT, reason="Welcome credit for the demo")


def _build_users(User, emails: list[str]) -> list:
    """Unsaved users with allauth-style usernames ("customer7"), hashing the password once."""
    if not emails:
        return []
    wanted = {email: email.split("@", 1)[0] for email in emails}
    taken = set(User.objects.filter(username__in=wanted.values()).values_list("username", flat=True))
    password = make_password(PASSWORD)
    adapter = get_adapter()
    built = []
    for email, username in wanted.items():
        if username in taken:
            username = adapter.generate_unique_username([email, "customer"])
        built.append(User(username=username, email=email, password=password))
    return built
