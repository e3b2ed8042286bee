"""``seed_demo --customers N``: N verified demo customers, made once however often it runs."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from home.demo.customers import PASSWORD, ensure_customers
from tests.accounts.helpers import make_customer
from ticketing.services.verification import is_verified

pytestmark = pytest.mark.django_db


def customers():
    return get_user_model().objects.filter(email__endswith="@example.com", email__startswith="customer").order_by("email")


@pytest.mark.slow
def test_seed_demo_customers_twice_makes_three_verified_customers(client):
    def seed():
        out = StringIO()
        call_command("seed_demo", days=1, customers=3, no_progress=True, stdout=out, stderr=StringIO())
        return out.getvalue()

    first = seed()
    second = seed()
    assert [u.email for u in customers()] == [f"customer{n}@example.com" for n in (1, 2, 3)]
    assert EmailAddress.objects.filter(email__startswith="customer", verified=True, primary=True).count() == 3
    assert all(is_verified(user) for user in customers())
    line = f"  customer1@example.com … customer3@example.com / {PASSWORD}  3 verified customers, at /accounts/login/"
    assert line in first.splitlines()
    assert "(3 existing: passwords not changed)" in second

    response = client.post(reverse("account_login"), {"login": "customer2@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("customer_account")


def test_ensure_customers_is_idempotent_and_tops_up():
    assert ensure_customers(2).created == 2
    assert ensure_customers(2).created == 0
    logins = ensure_customers(4)
    assert (logins.created, logins.first, logins.last) == (2, "customer1@example.com", "customer4@example.com")
    users = list(customers())
    assert len(users) == 4 and len({u.username for u in users}) == 4
    assert all(u.check_password(PASSWORD) and not u.is_staff for u in users)
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 4


def test_ensure_customers_repairs_an_unverified_demo_address_and_avoids_taken_usernames():
    make_customer("customer1@example.com", password="changed-by-hand", verified=False)
    get_user_model().objects.create_user(username="customer2", email="someone.else@example.com")
    assert ensure_customers(2).created == 1
    first = get_user_model().objects.get(email="customer1@example.com")
    assert is_verified(first) and first.check_password("changed-by-hand")  # the password is left alone
    second = get_user_model().objects.get(email="customer2@example.com")
    assert second.username != "customer2" and is_verified(second)


def test_customers_must_be_in_range():
    with pytest.raises(CommandError):
        call_command("seed_demo", days=1, customers=-1, no_progress=True, stdout=StringIO())


def test_new_demo_customers_get_one_welcome_credit():
    from decimal import Decimal

    from wallet.models import Wallet, WalletTransaction

    ensure_customers(2)
    ensure_customers(3)  # tops up one more; the first two are not credited again
    assert sorted(Wallet.objects.values_list("balance", flat=True)) == [Decimal("1000.00")] * 3
    assert WalletTransaction.objects.count() == 3
