"""The finance admin: wallets listing, ledgers, the credit/refund form, permissions, audit log."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from home.models import BookingSettings
from tests.factories import make_customer, make_user
from tests.wallet.conftest import booking_for
from wallet import services
from wallet.models import Wallet, WalletTransaction

pytestmark = pytest.mark.django_db

WALLETS = reverse("wallets:index")
LEDGER = reverse("wallet_transactions:index")


@pytest.fixture
def wallets(customer, admin_user):
    """Ada has ₹300 (two rows), Eve ₹0 after spending, Bob has an empty wallet."""
    services.credit(customer, 200, reason="Goodwill", created_by=admin_user)
    services.credit(customer, 100, reason="Late show", created_by=admin_user)
    eve = make_customer(username="eve", email="eve@example.com", first_name="Eve", last_name="Moneypenny")
    services.credit(eve, 50, reason="Promo")
    services.debit(eve, 50, reason="Booking")
    bob = make_customer(username="bob", email="bob@example.com")
    services.get_wallet(bob)
    return {"ada": customer.wallet, "eve": eve.wallet, "bob": bob.wallet}


def credit_url(wallet):
    return reverse("wallets:credit", args=[wallet.pk])


def form_token(client, wallet) -> str:
    return client.get(credit_url(wallet)).context["form"].initial["request_token"]


def emails(response):
    return [w.user.email for w in response.context["object_list"]]


# --- wallets listing -------------------------------------------------------------------------
def test_wallets_listing_shows_balance_and_links_to_the_ledger(admin_client, wallets):
    response = admin_client.get(WALLETS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ada@example.com" in html and "Ada Lovelace" in html and "₹300.00" in html
    assert reverse("wallets:ledger", args=[wallets["ada"].pk]) in html
    assert reverse("wallets:index") + "new/" not in html  # read-only: no add button


def test_wallets_search_by_email_or_name(admin_client, wallets):
    assert emails(admin_client.get(WALLETS, {"q": "eve@"})) == ["eve@example.com"]
    assert emails(admin_client.get(WALLETS, {"q": "lovelace"})) == ["ada@example.com"]


def test_wallets_filter_by_balance_and_activity(admin_client, wallets, clock):
    assert set(emails(admin_client.get(WALLETS, {"balance": "zero"}))) == {"eve@example.com", "bob@example.com"}
    assert emails(admin_client.get(WALLETS, {"balance": "positive"})) == ["ada@example.com"]
    today = {"active_from": "2026-11-20", "active_to": "2026-11-20"}
    assert set(emails(admin_client.get(WALLETS, today))) == {"ada@example.com", "eve@example.com"}
    assert emails(admin_client.get(WALLETS, {"active_from": "2026-11-21"})) == []


def test_wallets_export_csv_and_xlsx(admin_client, wallets):
    response = admin_client.get(WALLETS, {"export": "csv"})
    assert response.status_code == 200
    assert 'filename="wallets.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Customer e-mail", "Name", "Balance (INR)", "Last activity"]
    ada = next(r for r in rows if r[0] == "ada@example.com")
    assert ada[1:3] == ["Ada Lovelace", "300.00"] and ada[3] == "2026-11-20 10:00"
    xlsx = admin_client.get(WALLETS, {"export": "xlsx"})
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_wallets_are_paginated(admin_client, db):
    for n in range(27):
        services.get_wallet(make_customer(username=f"c{n}", email=f"c{n}@example.com"))
    first = admin_client.get(WALLETS)
    assert len(first.context["object_list"]) == 25 and first.context["paginator"].num_pages == 2


def test_no_add_edit_or_delete_urls_for_wallets_or_ledger(admin_client, wallets):
    wallet = wallets["ada"]
    for url in (f"{WALLETS}new/", f"{WALLETS}edit/{wallet.pk}/", f"{WALLETS}delete/{wallet.pk}/", f"{LEDGER}new/"):
        assert admin_client.get(url).status_code == 404


# --- ledgers ---------------------------------------------------------------------------------
def test_one_wallets_ledger_newest_first_with_export(admin_client, wallets):
    url = reverse("wallets:ledger", args=[wallets["ada"].pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert [r.reason for r in response.context["object_list"]] == ["Late show", "Goodwill"]
    html = response.content.decode()
    assert "Ledger of ada@example.com" in html and "Balance ₹300.00" in html and "eve@example.com" not in html
    assert reverse("wallets:credit", args=[wallets["ada"].pk]) in html
    exported = b"".join(admin_client.get(url, {"export": "csv"}).streaming_content).decode()
    assert exported.count("ada@example.com") == 2 and "eve@" not in exported
    assert admin_client.get(reverse("wallets:ledger_results", args=[wallets["ada"].pk])).status_code == 200


def test_global_ledger_filters_and_search(admin_client, wallets, customer, show, admin_user):
    booking = booking_for(customer, show)
    services.refund_to_wallet(booking, 40, reason="Seat broken", created_by=admin_user)
    reasons = lambda r: {row.reason for row in r.context["object_list"]}  # noqa: E731
    assert reasons(admin_client.get(LEDGER, {"kind": "refund"})) == {"Seat broken"}
    assert reasons(admin_client.get(LEDGER, {"kind": "booking_payment"})) == {"Booking"}
    assert reasons(admin_client.get(LEDGER, {"created_by": admin_user.pk})) == {"Goodwill", "Late show", "Seat broken"}
    assert reasons(admin_client.get(LEDGER, {"q": booking.reference})) == {"Seat broken"}
    assert reasons(admin_client.get(LEDGER, {"q": "eve@example"})) == {"Promo", "Booking"}
    assert reasons(admin_client.get(LEDGER, {"created_from": "2026-11-21"})) == set()
    csv_text = b"".join(admin_client.get(LEDGER, {"export": "csv", "kind": "refund"}).streaming_content).decode()
    assert "Seat broken" in csv_text and booking.reference in csv_text and "Goodwill" not in csv_text
    assert admin_client.get(LEDGER, {"export": "xlsx"})["Content-Type"].endswith("spreadsheetml.sheet")


# --- credit / refund -------------------------------------------------------------------------
def test_finance_credit_writes_one_ledger_row_and_an_audit_entry(client, finance, wallets):
    wallet = wallets["bob"]
    client.force_login(finance)
    token = form_token(client, wallet)
    response = client.post(
        credit_url(wallet), {"amount": "150.00", "kind": "credit", "reason": "Projector failed", "request_token": token}
    )
    assert response.status_code == 302 and response.url == reverse("wallets:ledger", args=[wallet.pk])
    row = WalletTransaction.objects.get(wallet=wallet)
    assert (row.amount, row.kind, row.reason, row.created_by) == (Decimal("150.00"), "credit", "Projector failed", finance)
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("150.00")
    entry = ModelLogEntry.objects.get(action="wallet.credit")
    assert entry.user == finance and entry.object_id == str(wallet.pk)
    assert entry.data["amount"] == "150.00" and entry.data["reason"] == "Projector failed" and entry.data["booking"] is None
    assert "balance is now ₹150.00" in client.get(response.url).content.decode()


def test_refund_needs_a_booking_of_that_customer(client, finance, wallets, customer, show):
    eve = wallets["eve"].user
    theirs = booking_for(eve, show, seats=["B1"])
    mine = booking_for(customer, show)
    wallet = wallets["ada"]
    client.force_login(finance)
    data = {"amount": "250", "kind": "refund", "reason": "Cancelled", "request_token": form_token(client, wallet)}

    response = client.post(credit_url(wallet), data)
    assert "A refund needs the booking it refunds." in response.content.decode()
    response = client.post(credit_url(wallet), {**data, "booking": theirs.reference})
    assert f"{theirs.reference} is not a booking of ada@example.com." in response.content.decode()
    assert WalletTransaction.objects.filter(wallet=wallet).count() == 2  # unchanged

    response = client.post(credit_url(wallet), {**data, "booking": mine.reference.lower()})
    assert response.status_code == 302
    row = WalletTransaction.objects.filter(wallet=wallet).first()
    assert (row.kind, row.booking, row.amount) == ("refund", mine, Decimal("250.00"))
    entry = ModelLogEntry.objects.get(action="wallet.refund")
    assert entry.data["booking"] == mine.reference


def test_an_adjustment_debit_is_not_offered(client, finance, wallets):
    client.force_login(finance)
    wallet = wallets["ada"]
    response = client.post(
        credit_url(wallet), {"amount": "10", "kind": "adjustment", "reason": "x", "request_token": form_token(client, wallet)}
    )
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert 'value="adjustment"' not in client.get(credit_url(wallet)).content.decode()


@pytest.mark.parametrize("amount", ["0", "-10", "abc"])
def test_amount_must_be_positive(client, finance, wallets, amount):
    client.force_login(finance)
    wallet = wallets["bob"]
    response = client.post(
        credit_url(wallet), {"amount": amount, "kind": "credit", "reason": "x", "request_token": form_token(client, wallet)}
    )
    assert response.status_code == 200 and "amount" in response.context["form"].errors
    assert not WalletTransaction.objects.filter(wallet=wallet).exists()


def test_reason_is_required(client, finance, wallets):
    client.force_login(finance)
    wallet = wallets["bob"]
    response = client.post(
        credit_url(wallet), {"amount": "5", "kind": "credit", "reason": "   ", "request_token": form_token(client, wallet)}
    )
    assert "reason" in response.context["form"].errors


def test_cap_applies_to_finance_but_not_to_a_superuser(client, admin_client, finance, wallets):
    wallet = wallets["bob"]
    client.force_login(finance)
    data = {"amount": "5000.01", "kind": "credit", "reason": "Big goodwill"}
    response = client.post(credit_url(wallet), {**data, "request_token": form_token(client, wallet)})
    assert "Amounts above ₹5,000.00 need a superuser." in response.content.decode()
    response = client.post(credit_url(wallet), {**data, "amount": "5000.00", "request_token": form_token(client, wallet)})
    assert response.status_code == 302

    settings = BookingSettings.load()
    settings.refund_cap = Decimal("100")
    settings.save()
    response = client.post(credit_url(wallet), {**data, "amount": "100.01", "request_token": form_token(client, wallet)})
    assert "Amounts above ₹100.00 need a superuser." in response.content.decode()

    response = admin_client.post(
        credit_url(wallet), {**data, "amount": "20000", "request_token": form_token(admin_client, wallet)}
    )
    assert response.status_code == 302
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("25000.00")


def test_double_submit_credits_once(client, finance, wallets):
    wallet = wallets["bob"]
    client.force_login(finance)
    data = {"amount": "75", "kind": "credit", "reason": "Sorry", "request_token": form_token(client, wallet)}
    first = client.post(credit_url(wallet), data)
    second = client.post(credit_url(wallet), data)
    assert first.status_code == second.status_code == 302
    assert WalletTransaction.objects.filter(wallet=wallet).count() == 1
    assert ModelLogEntry.objects.filter(action="wallet.credit").count() == 1
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("75.00")
    assert "already submitted" in client.get(second.url).content.decode()
    # a fresh form is a new credit
    client.post(credit_url(wallet), {**data, "request_token": form_token(client, wallet)})
    assert WalletTransaction.objects.filter(wallet=wallet).count() == 2


def test_a_forged_token_is_refused(client, finance, wallets):
    client.force_login(finance)
    response = client.post(credit_url(wallets["bob"]), {"amount": "5", "kind": "credit", "reason": "x", "request_token": "nope"})
    assert "This form has expired" in response.content.decode()


def test_staff_credits_show_in_site_history(admin_client, wallets):
    wallet = wallets["bob"]
    admin_client.post(
        credit_url(wallet),
        {"amount": "12", "kind": "credit", "reason": "Popcorn spilt", "request_token": form_token(admin_client, wallet)},
    )
    html = admin_client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Credited the wallet" in html and "Wallet of bob@example.com" in html


# --- permissions -----------------------------------------------------------------------------
def all_urls(wallet):
    return [
        WALLETS,
        reverse("wallets:index_results"),
        LEDGER,
        reverse("wallet_transactions:index_results"),
        reverse("wallets:ledger", args=[wallet.pk]),
        reverse("wallets:ledger_results", args=[wallet.pk]),
        credit_url(wallet),
        f"{WALLETS}?export=csv",
        f"{LEDGER}?export=xlsx",
    ]


def test_admin_access_alone_gets_403_everywhere(client, admin_only, wallets):
    client.force_login(admin_only)
    for url in all_urls(wallets["ada"]):
        assert client.get(url).status_code == 403, url
    response = client.post(
        credit_url(wallets["ada"]), {"amount": "5", "kind": "credit", "reason": "x", "request_token": "a" * 32}
    )
    assert response.status_code == 403
    assert WalletTransaction.objects.filter(wallet=wallets["ada"]).count() == 2


def test_each_view_needs_its_own_permission(client, wallets):
    viewer = make_user("wagtailadmin.access_admin", "wallet.view_wallet", username="viewer")
    client.force_login(viewer)
    assert client.get(WALLETS).status_code == 200
    assert client.get(LEDGER).status_code == 403
    assert client.get(credit_url(wallets["ada"])).status_code == 403
    ledger_reader = make_user("wagtailadmin.access_admin", "wallet.view_wallettransaction", username="reader")
    client.force_login(ledger_reader)
    assert client.get(WALLETS).status_code == 403
    assert client.get(reverse("wallets:ledger", args=[wallets["ada"].pk])).status_code == 200
    html = client.get(reverse("wallets:ledger", args=[wallets["ada"].pk])).content.decode()
    assert credit_url(wallets["ada"]) not in html  # no button without issue_refund


def test_finance_group_can_use_every_view_and_sees_the_menu(client, finance, wallets):
    client.force_login(finance)
    for url in all_urls(wallets["ada"]):
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Finance" in html and WALLETS in html and LEDGER in html


def test_menu_is_hidden_from_admin_only_users(client, admin_only):
    client.force_login(admin_only)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert WALLETS not in html and LEDGER not in html


def test_wallet_model_is_read_only_even_for_superusers(admin_user):
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(Wallet)
    assert policy.user_has_permission(admin_user, "view")
    assert not policy.user_has_any_permission(admin_user, ["add", "change", "delete"])
