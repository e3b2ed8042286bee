"""Finance's bookings listing, a booking's detail page, and the two cancellation forms (with
ticketing.services.cancellation replaced by a fake that records its calls: the forms only
translate; the service's own rules and audit entries are tested in tests/ticketing/test_cancel_audit.py)."""

import csv
import io
import sys
import types
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.factories import make_customer, make_user
from tests.wallet.conftest import booking_for
from ticketing.errors import BookingError
from ticketing.models import Payment, Refund
from wallet import services

pytestmark = pytest.mark.django_db

BOOKINGS = reverse("bookings:index")


@pytest.fixture
def bookings(customer, show):
    eve = make_customer(username="eve", email="eve@example.com")
    return {
        "ada": booking_for(customer, show, seats=["A1", "A2"], total=Decimal("500"), payment_mode="mixed"),
        "eve": booking_for(eve, show, state="cancelled", seats=["B1"], needs_attention=True, attention_note="Refund failed"),
    }


@pytest.fixture
def cancellation(monkeypatch):
    """A stand-in ticketing.services.cancellation that records its calls."""
    import ticketing.services

    calls = []
    fake = types.ModuleType("ticketing.services.cancellation")

    def cancel_booking(booking, *, destination, reason, by=None):
        calls.append(("cancel_booking", booking, destination, reason, by))
        booking.state = "cancelled"
        return booking

    def cancel_show(show, *, destination, reason, by=None):
        calls.append(("cancel_show", show, destination, reason, by))
        return 3

    fake.cancel_booking, fake.cancel_show, fake.calls = cancel_booking, cancel_show, calls
    monkeypatch.setitem(sys.modules, "ticketing.services.cancellation", fake)
    monkeypatch.setattr(ticketing.services, "cancellation", fake, raising=False)
    return fake


def refs(response):
    return {b.reference for b in response.context["object_list"]}


def test_listing_columns_search_and_filters(admin_client, bookings, show):
    ada, eve = bookings["ada"], bookings["eve"]
    response = admin_client.get(BOOKINGS)
    html = response.content.decode()
    assert refs(response) == {ada.reference, eve.reference}
    assert "ada@example.com" in html and "A1, A2" in html and "₹500.00" in html and "Wallet + gateway" in html
    assert "Dune · " in html and "Sat 21 Nov 2026, 6:00 pm" in html
    assert reverse("bookings:inspect", args=[ada.pk]) in html
    assert refs(admin_client.get(BOOKINGS, {"q": ada.reference.lower()})) == {ada.reference}
    assert refs(admin_client.get(BOOKINGS, {"q": "eve@"})) == {eve.reference}
    assert refs(admin_client.get(BOOKINGS, {"state": "cancelled"})) == {eve.reference}
    assert refs(admin_client.get(BOOKINGS, {"payment_mode": "mixed"})) == {ada.reference}
    assert refs(admin_client.get(BOOKINGS, {"needs_attention": "true"})) == {eve.reference}
    assert refs(admin_client.get(BOOKINGS, {"show": show.pk})) == {ada.reference, eve.reference}
    assert refs(admin_client.get(BOOKINGS, {"show_date_from": "2026-11-21", "show_date_to": "2026-11-21"})) == {
        ada.reference,
        eve.reference,
    }
    assert refs(admin_client.get(BOOKINGS, {"show_date_from": "2026-11-22"})) == set()


def test_export(admin_client, bookings):
    response = admin_client.get(BOOKINGS, {"export": "csv", "state": "confirmed"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["Reference"] == bookings["ada"].reference and row["Customer e-mail"] == "ada@example.com"
    assert row["Seats"] == "A1, A2" and row["Total (INR)"] == "500.00" and row["Payment mode"] == "Wallet + gateway"
    assert admin_client.get(BOOKINGS, {"export": "xlsx"})["Content-Type"].endswith("spreadsheetml.sheet")


def test_detail_shows_payments_refunds_and_wallet_rows(admin_client, bookings, admin_user):
    ada = bookings["ada"]
    Payment.objects.create(booking=ada, gateway="sandbox", order_id="order_1", payment_id="pay_1", amount=300, status="paid")
    Refund.objects.create(booking=ada, destination="source", amount=120, reason="Seat broken")
    services.refund_to_wallet(ada, Decimal("80"), reason="Partial refund", created_by=admin_user)
    html = admin_client.get(reverse("bookings:inspect", args=[ada.pk])).content.decode()
    assert "order_1" in html and "pay_1" in html and "₹300.00" in html
    assert "Original payment method" in html and "₹120.00" in html and "Seat broken" in html
    assert "Partial refund" in html and "₹80.00" in html
    assert reverse("bookings:cancel", args=[ada.pk]) in html
    assert reverse("bookings:cancel_show", args=[ada.show_id]) in html


def test_cancel_booking_calls_the_service(client, finance, bookings, cancellation):
    ada = bookings["ada"]
    client.force_login(finance)
    url = reverse("bookings:cancel", args=[ada.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"destination": "source", "reason": "Customer asked"})
    assert response.status_code == 302 and response.url == reverse("bookings:inspect", args=[ada.pk])
    assert cancellation.calls == [("cancel_booking", ada, "source", "Customer asked", finance)]
    assert f"Booking {ada.reference} cancelled" in client.get(response.url).content.decode()


def test_cancel_booking_needs_a_reason_and_a_destination(client, finance, bookings, cancellation):
    client.force_login(finance)
    url = reverse("bookings:cancel", args=[bookings["ada"].pk])
    response = client.post(url, {"destination": "bank", "reason": " "})
    assert set(response.context["form"].errors) == {"destination", "reason"}
    assert cancellation.calls == []


def test_cancel_refusal_is_shown_on_the_form(client, finance, bookings, cancellation):
    def refuse(*args, **kwargs):
        raise BookingError("This booking is already cancelled.")

    cancellation.cancel_booking = refuse
    client.force_login(finance)
    response = client.post(reverse("bookings:cancel", args=[bookings["eve"].pk]), {"destination": "wallet", "reason": "x"})
    assert response.status_code == 200 and "This booking is already cancelled." in response.content.decode()
    assert not ModelLogEntry.objects.filter(action="booking.cancel").exists()


def test_cancel_show_calls_the_service(client, finance, show, bookings, cancellation):
    client.force_login(finance)
    url = reverse("bookings:cancel_show", args=[show.pk])
    assert "1 confirmed bookings will be cancelled" in client.get(url).content.decode()
    response = client.post(url, {"destination": "wallet", "reason": "Projector broken"})
    assert response.status_code == 302 and response.url == f"{BOOKINGS}?show={show.pk}"
    assert cancellation.calls == [("cancel_show", show.specific, "wallet", "Projector broken", finance)]
    assert "Show cancelled: 3 bookings cancelled" in client.get(response.url).content.decode()


def test_permissions(client, admin_only, bookings, show, cancellation):
    urls = [
        BOOKINGS,
        reverse("bookings:index_results"),
        reverse("bookings:inspect", args=[bookings["ada"].pk]),
        reverse("bookings:cancel", args=[bookings["ada"].pk]),
        reverse("bookings:cancel_show", args=[show.pk]),
    ]
    client.force_login(admin_only)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(urls[3], {"destination": "wallet", "reason": "x"}).status_code == 403
    assert client.post(urls[4], {"destination": "wallet", "reason": "x"}).status_code == 403
    assert cancellation.calls == []

    viewer = make_user("wagtailadmin.access_admin", "ticketing.view_booking", username="viewer")
    client.force_login(viewer)
    assert client.get(urls[0]).status_code == client.get(urls[2]).status_code == 200
    assert client.get(urls[3]).status_code == client.get(urls[4]).status_code == 403
    assert urls[3] not in client.get(urls[2]).content.decode()  # no button without the permission


def test_no_add_edit_or_delete_for_bookings(admin_client, bookings):
    for suffix in ("new/", f"edit/{bookings['ada'].pk}/", f"delete/{bookings['ada'].pk}/"):
        assert admin_client.get(BOOKINGS + suffix).status_code == 404


def test_finance_sees_bookings_in_its_menu(client, finance, bookings):
    client.force_login(finance)
    assert client.get(BOOKINGS).status_code == 200
    assert BOOKINGS in client.get(reverse("wagtailadmin_home")).content.decode()
