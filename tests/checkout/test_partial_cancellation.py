"""Cancelling some seats of a booking under the tiered policy (docs/DESIGN.md, cancellations):
the refund previewed is the refund made, the rest of the booking stays valid, the cancelled
seats go back on sale and their tickets stop admitting, and every refusal changes nothing.

Alice's A1 + A2 (Classic, ₹200 each) cost ₹542.80: each seat is ₹271.40 (200 + 30 fee + 36 GST
+ 5.40 GST on the fee). The show is tomorrow at 18:00; the clock is frozen 32 h before it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from tests.factories import make_promo, make_user
from tests.fixtures.checkout import TOTAL_A1_A2, callback, committed, fund, pay, set_tiers
from tests.tickets.conftest import confirm
from ticketing.errors import BookingError, SeatAdmitted
from ticketing.models import Booking, BookingState, Refund, SeatState, ShowSeat, Ticket
from ticketing.services import cancellation
from ticketing.services.cancel_policy import cancellation_quote
from ticketing.services.checkin import check_in
from ticketing.services.pricing import price_seats
from wallet.models import Wallet, WalletTransaction

pytestmark = pytest.mark.django_db
SEAT = Decimal("271.40")
TIERS = (  # the example: > 24 h free to the wallet, 4–24 h 10 %, < 4 h none; the card 5 % / 15 %
    ("wallet", 0, 4, False, 0),
    ("wallet", 4, 24, True, 10),
    ("wallet", 24, None, True, 0),
    ("source", 0, 24, False, 0),
    ("source", 24, None, True, 5),
)


@pytest.fixture
def booked(as_alice, alice, show):
    return confirm(as_alice, alice, show, ["A1", "A2"])


def balance(user) -> Decimal:
    return Wallet.objects.get(user=user).balance


def ledger(user) -> Decimal:
    return WalletTransaction.objects.filter(wallet__user=user).aggregate(total=Sum("amount"))["total"]


def test_cancelling_one_of_two_seats_keeps_the_other_valid(as_alice, alice, booked, show):
    before = balance(alice)
    kept = Ticket.objects.get(booking=booked, seat_label="A1")
    preview = as_alice.get(f"/api/bookings/{booked.reference}/cancellation?seats=A2&to=wallet").json()
    assert preview["refund"] == str(SEAT) and preview["remaining"] == ["A1"] and preview["whole_booking"] is False
    with committed():
        response = as_alice.post(f"/api/bookings/{booked.reference}/cancel", {"seats": ["a2"]}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "confirmed" and response.json()["seats"] == ["A1"]
    booking = Booking.objects.get(pk=booked.pk)
    assert (booking.state, booking.seats, booking.cancelled_value, booking.tickets_pdf.name) == ("confirmed", ["A1"], SEAT, "")
    assert balance(alice) == before + SEAT == ledger(alice)
    assert Refund.objects.get(booking=booking).amount == SEAT
    seats = dict(ShowSeat.objects.filter(show=show, label__in=["A1", "A2"]).values_list("label", "state"))
    assert seats == {"A1": SeatState.SOLD, "A2": SeatState.AVAILABLE}
    assert Ticket.objects.get(booking=booking, seat_label="A2").voided_at is not None
    assert Ticket.objects.get(pk=kept.pk).code == kept.code and Ticket.objects.get(pk=kept.pk).voided_at is None
    door = make_user("ticketing.check_in_ticket", username="door")
    assert check_in(Ticket.objects.get(booking=booking, seat_label="A2").code, by=door).message == "Seat cancelled: do not admit"
    assert check_in(kept.code, by=door).admitted


def test_the_booking_page_shows_the_exact_refund_and_the_rest_valid(as_alice, booked):
    html = as_alice.get(f"/bookings/{booked.reference}/").content.decode()
    assert f"Cancelling the whole booking refunds ₹{TOTAL_A1_A2} to your Marquee wallet." in html
    code = Ticket.objects.get(booking=booked, seat_label="A1").code  # named by hidden text, not an aria-label on <code>
    assert f'<code class="ticket-list__code"><span class="visually-hidden">Ticket code </span>{code}</code>' in html
    cancellation.cancel_by_customer(booked, ["A2"], "wallet")
    html = as_alice.get(f"/bookings/{booked.reference}/").content.decode()
    assert "Cancelled: A2. Their tickets no longer admit" in html
    assert f"Cancelling the whole booking refunds ₹{SEAT} to your Marquee wallet." in html  # what is left
    assert 'value="A1"' in html and 'value="A2"' not in html


def test_the_new_pdf_carries_only_the_remaining_tickets(as_alice, booked):
    from pypdf import PdfReader  # noqa: PLC0415

    cancellation.cancel_by_customer(booked, ["A1"], "wallet")
    response = as_alice.get(f"/bookings/{booked.reference}/tickets.pdf")
    import io  # noqa: PLC0415

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    # each ticket says "Seat <label>"; random ticket codes and references may contain "A1" too
    assert "Seat A2" in text and "Seat A1" not in text


def test_tiers_by_hours_before_the_show_and_destination(clock, as_alice, booked, show):
    set_tiers(*TIERS)
    assert cancellation_quote(booked, ["A1"], "wallet").refund == SEAT  # 32 h before: free
    assert cancellation_quote(booked, ["A1"], "source").fee == Decimal("13.57")  # 5 % of 271.40
    clock.move_to(show.starts_at - timedelta(hours=10))
    offer = cancellation_quote(booked, ["A1"], "wallet")
    assert (offer.fee, offer.refund) == (Decimal("27.14"), SEAT - Decimal("27.14"))
    with pytest.raises(BookingError, match="original payment method are not available less than 24 h before the show"):
        cancellation_quote(booked, ["A1"], "source")
    assert cancellation_quote(booked, ["A1"]).destination == "wallet"  # the first open one
    clock.move_to(show.starts_at - timedelta(hours=3))
    response = as_alice.get(f"/api/bookings/{booked.reference}/cancellation?seats=A1")
    assert response.status_code == 400 and "cancelled until 4 h before the show" in response.json()["detail"]


def test_after_the_cutoff_the_message_says_until_when(clock, as_alice, booked, show):
    clock.move_to(show.starts_at - timedelta(hours=1))  # the default tiers: the wallet until 2 h before
    response = as_alice.post(f"/api/bookings/{booked.reference}/cancel", {"seats": ["A1"]}, content_type="application/json")
    assert response.status_code == 400 and "until 2 h before the show" in response.json()["detail"]
    assert Booking.objects.get(pk=booked.pk).seats == ["A1", "A2"]


def test_a_fee_goes_to_the_source_from_the_gateway_part(as_alice, alice, held, sandbox):
    set_tiers(*TIERS)
    data = pay(as_alice, held).json()
    callback(as_alice, sandbox, data["order_id"], sandbox.pay(data["order_id"]).payment_id)
    with committed():
        response = as_alice.post(
            f"/api/bookings/{held.reference}/cancel", {"seats": ["A2"], "to": "source"}, content_type="application/json"
        )
    assert response.status_code == 200, response.content
    refund = Refund.objects.get(booking=held)
    assert (refund.destination, refund.amount) == ("source", SEAT - Decimal("13.57"))
    with committed():
        as_alice.post(f"/api/bookings/{held.reference}/cancel", {"to": "source"}, content_type="application/json")
    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.REFUNDED
    total = Refund.objects.filter(booking=booking).aggregate(total=Sum("amount"))["total"]
    assert total == TOTAL_A1_A2 - 2 * Decimal("13.57")  # each part less its own fee; never more than paid


def test_the_rest_cancelled_later_refunds_what_is_left(alice, booked):
    before = balance(alice)
    cancellation.cancel_by_customer(booked, ["A2"], "wallet")
    booking = cancellation.cancel_by_customer(Booking.objects.get(pk=booked.pk), None, "wallet")
    assert booking.state == BookingState.REFUNDED
    assert balance(alice) == before + TOTAL_A1_A2 == ledger(alice)


def test_seats_not_in_the_booking_are_refused(as_alice, booked):
    response = as_alice.post(f"/api/bookings/{booked.reference}/cancel", {"seats": ["B7"]}, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == "B7 is not in this booking."
    assert as_alice.get(f"/api/bookings/{booked.reference}/cancellation?seats=A1,B7").status_code == 400
    assert as_alice.get(f"/api/bookings/{booked.reference}/cancellation?to=bank").status_code == 422
    bad = as_alice.post(f"/api/bookings/{booked.reference}/cancel", {"to": "bank"}, content_type="application/json")
    assert bad.status_code == 422
    assert Booking.objects.get(pk=booked.pk).seats == ["A1", "A2"] and not Refund.objects.exists()


def test_a_seat_admitted_at_the_door_cannot_be_cancelled(as_alice, booked):
    door = make_user("ticketing.check_in_ticket", username="door")
    assert check_in(Ticket.objects.get(booking=booked, seat_label="A1").code, by=door).admitted
    response = as_alice.post(f"/api/bookings/{booked.reference}/cancel", {"seats": ["A1"]}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["detail"] == "Seat A1 was already admitted at the door and cannot be cancelled."
    assert as_alice.post(f"/api/bookings/{booked.reference}/cancel").status_code == 409  # nor the whole booking
    html = as_alice.get(f"/bookings/{booked.reference}/").content.decode()
    assert 'A1 <span class="ticket-list__category">Classic</span> — admitted at the door' in html
    assert "Cancelling A2 refunds ₹271.40 to your Marquee wallet." in html  # the page offers the rest
    ok = as_alice.post(f"/api/bookings/{booked.reference}/cancel", {"seats": ["A2"]}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["seats"] == ["A1"]


def test_a_seat_admitted_after_the_quote_makes_the_cancellation_refuse(booked):
    offer = cancellation_quote(booked, ["A1"], "wallet")
    Ticket.objects.filter(booking=booked, seat_label="A1").update(used_at=booked.confirmed_at)
    from ticketing.services.seat_cancellation import cancel_seats  # noqa: PLC0415

    with pytest.raises(SeatAdmitted):
        cancel_seats(Booking.objects.get(pk=booked.pk), offer, reason="x")
    assert Booking.objects.get(pk=booked.pk).seats == ["A1", "A2"] and not Refund.objects.exists()


def test_a_whole_booking_only_tier_refuses_some_seats(booked):
    set_tiers(("wallet", 0, None, True, 0, True))
    with pytest.raises(BookingError, match="only the whole booking can be cancelled"):
        cancellation_quote(booked, ["A1"], "wallet")
    assert cancellation_quote(booked, ["A1", "A2"], "wallet").whole


def test_the_promo_share_comes_from_the_pricing_function(as_alice, alice, show):
    promo = make_promo(code="TENOFF")
    booking = Booking.objects.create(user=alice, show=show, seats=["A1", "B1"], state="held", promo=promo)
    ShowSeat.objects.filter(show=show, label__in=["A1", "B1"]).update(state="held", booking=booking)
    fund(alice, 1000)
    assert pay(as_alice, booking, use_wallet=True).json()["state"] == "confirmed"
    booking.refresh_from_db()
    everything = price_seats(show, ["Classic", "Prime"], promo=promo)
    kept = price_seats(show, ["Classic"], promo=promo)
    assert booking.total == everything.total
    assert cancellation_quote(booking, ["B1"], "wallet").value == everything.total - kept.total


def test_no_online_cancellation_when_switched_off(booked):
    from home.models import BookingSettings  # noqa: PLC0415

    rules = BookingSettings.load()
    rules.customer_cancellation = False
    rules.save()
    with pytest.raises(BookingError, match="cannot be cancelled online"):
        cancellation_quote(booked, ["A1"])


def test_food_stays_with_the_seats_kept_and_a_bundle_keeps_its_seats(as_alice, alice, show):
    from tests.factories import make_concession  # noqa: PLC0415
    from ticketing.services.booking_items import set_items  # noqa: PLC0415
    from ticketing.services.holds import hold_seats  # noqa: PLC0415

    make_concession()  # large popcorn ₹300
    make_concession(
        sku="BND-2P", name="2 Prime + 2 popcorn", price="900.00", category="bundles", seats_included=2, seat_category="Prime"
    )
    held = hold_seats(alice, show, ["A1", "B1", "B2"]).booking
    set_items(held, [("POP-L", 1), ("BND-2P", 1)])
    fund(alice, 3000)
    assert pay(as_alice, held, use_wallet=True).json()["state"] == "confirmed"
    booking = Booking.objects.get(pk=held.pk)
    with pytest.raises(BookingError, match="Your food bundle comes with these seats: cancel the whole booking instead."):
        cancellation_quote(booking, ["B1"], "wallet")
    offer = cancellation_quote(booking, ["A1"], "wallet")
    assert offer.value == SEAT  # the Classic seat alone: the popcorn and the bundle stay
    cancellation.cancel_by_customer(booking, ["A1"], "wallet")
    booking = Booking.objects.get(pk=held.pk)
    assert booking.seats == ["B1", "B2"]
    assert sorted(booking.items.values_list("sku", "quantity")) == [("BND-2P", 1), ("POP-L", 1)]
