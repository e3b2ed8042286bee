"""Selling at the counter: the same claim, pricing, promo rules and finalizer as online; every
refusal a clear 4xx with nothing written."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail

from tests.counter.conftest import TOTAL_A1_A2, sell_cash
from tests.factories import make_promo, make_show
from ticketing.errors import BookingError, NoOpenShift, SeatsUnavailable
from ticketing.models import Booking, BookingChannel, BookingState, CounterSale, Payment, SeatState, ShowSeat, Ticket
from ticketing.queries import get_past_bookings, get_upcoming_bookings
from ticketing.services import counter_sales
from ticketing.services.holds import hold_seats

pytestmark = pytest.mark.django_db


def nothing_written():
    return not Booking.objects.exists() and not Payment.objects.exists() and not CounterSale.objects.exists()


def test_cash_sale_confirms_at_once_with_change(seller, shift, show, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = sell_cash(seller, show, ["a1", "A2"], tendered="1000.00")
    booking = result.booking
    assert booking.state == BookingState.CONFIRMED and booking.channel == BookingChannel.COUNTER
    assert booking.total == TOTAL_A1_A2 and booking.user == seller
    assert result.change_due == Decimal("457.20")
    assert sorted(t.seat_label for t in result.tickets) == ["A1", "A2"]
    assert set(ShowSeat.objects.filter(show=show, label__in=["A1", "A2"]).values_list("state", flat=True)) == {SeatState.SOLD}
    payment = Payment.objects.get(booking=booking)
    assert (payment.gateway, payment.method, payment.status, payment.amount_paid) == ("counter", "cash", "paid", TOTAL_A1_A2)
    sale = result.sale
    assert (sale.shift, sale.tendered, sale.change_due) == (shift, Decimal("1000.00"), Decimal("457.20"))
    assert mail.outbox == []  # no address given: nothing sent, and never to the seller


def test_the_tickets_go_to_the_address_given(seller, shift, show, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = sell_cash(seller, show, email="walkin@example.com", phone="+91 98200 12345")
    assert [m.to for m in mail.outbox] == [["walkin@example.com"]]
    assert result.booking.reference in mail.outbox[0].subject
    assert result.sale.contact_phone == "+91 98200 12345"


@pytest.mark.parametrize("method, reference", [("upi", "412345678901"), ("card", "AP1234")])
def test_upi_and_card_need_a_reference(seller, shift, show, method, reference):
    with pytest.raises(BookingError, match="Enter the"):
        counter_sales.sell_at_counter(seller, show.pk, ["A1"], method=method, reference="")
    assert nothing_written()
    result = counter_sales.sell_at_counter(seller, show.pk, ["A1"], method=method, reference=reference)
    assert result.sale.reference == reference and result.change_due == 0 and result.sale.tendered == result.booking.total


def test_no_open_shift(seller, show):
    with pytest.raises(NoOpenShift) as refusal:
        sell_cash(seller, show)
    assert refusal.value.status == 409 and "Open a shift" in refusal.value.message
    assert nothing_written()


@pytest.mark.parametrize(
    "tendered, words",
    [
        ("500.00", "less than the total ₹542.80"),
        ("600.001", "more than 2 decimal places"),
        ("-600", "cannot be negative"),
        ("99999999", "cannot be more than"),
        (None, "Enter the cash tendered"),
    ],
)
def test_bad_cash_is_refused(seller, shift, show, tendered, words):
    with pytest.raises(BookingError) as refusal:
        sell_cash(seller, show, tendered=tendered)
    assert words in refusal.value.message and refusal.value.status == 400
    assert nothing_written()
    assert ShowSeat.objects.filter(show=show, state=SeatState.AVAILABLE).count() == 20


def test_seats_held_online_are_not_sold(seller, shift, show, alice):
    hold_seats(alice, show, ["A2"])
    with pytest.raises(SeatsUnavailable) as refusal:
        sell_cash(seller, show, ["A1", "A2"])
    assert refusal.value.status == 409 and refusal.value.extra["unavailable"] == ["A2"]
    assert Booking.objects.filter(channel=BookingChannel.COUNTER).count() == 0


def test_a_lapsed_hold_is_free_at_the_counter(seller, shift, show, alice, clock):
    hold_seats(alice, show, ["A1"])
    clock.shift(timedelta(minutes=11))
    assert sell_cash(seller, show, ["A1"]).booking.state == BookingState.CONFIRMED


def test_seats_sold_are_not_sold_twice(seller, shift, show):
    sell_cash(seller, show, ["A1"])
    with pytest.raises(SeatsUnavailable) as refusal:
        sell_cash(seller, show, ["A1", "A3"])
    assert refusal.value.labels == ["A1"]
    assert Ticket.objects.count() == 1


def test_seats_of_another_show(seller, shift, show):
    with pytest.raises(BookingError) as refusal:
        sell_cash(seller, show, ["Z9"])
    assert refusal.value.status == 400 and refusal.value.extra["unavailable"] == ["Z9"]
    assert nothing_written()


def test_a_started_show(seller, shift, show, clock):
    clock.move_to(show.starts_at + timedelta(minutes=1))
    with pytest.raises(BookingError, match="already started"):
        sell_cash(seller, show)
    assert nothing_written()


def test_a_show_not_on_sale(seller, shift, movie):
    unpublished = make_show(movie=movie, live=False)
    with pytest.raises(BookingError, match="not on sale"):
        sell_cash(seller, unpublished)


def test_the_counter_sells_after_online_booking_closes(seller, shift, show, clock):
    show.booking_closes_at = show.starts_at - timedelta(hours=1)
    show.save_revision().publish()
    clock.move_to(show.starts_at - timedelta(minutes=20))
    assert sell_cash(seller, show).booking.state == BookingState.CONFIRMED


def test_an_unknown_show(seller, shift):
    with pytest.raises(BookingError) as refusal:
        counter_sales.sell_at_counter(seller, 999999, ["A1"], method="cash", tendered="1000")
    assert refusal.value.status == 404


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("email", "not-an-address", "is not an e-mail address"),
        ("phone", "call me", "phone number"),
        ("method", "cheque", "cash, upi or card"),
    ],
)
def test_bad_details(seller, shift, show, field, value, words):
    kwargs = {"method": "cash", "tendered": "1000", field: value}
    with pytest.raises(BookingError, match=words):
        counter_sales.sell_at_counter(seller, show.pk, ["A1"], **kwargs)
    assert nothing_written()


def test_promo_codes_apply_as_online(seller, shift, show):
    promo = make_promo(code="TEN", total_limit=1)
    result = sell_cash(seller, show, promo_code="ten")
    assert result.booking.promo == promo
    assert Decimal(result.booking.price_breakdown["discount"]) == Decimal("40.00")
    assert result.booking.total < TOTAL_A1_A2
    with pytest.raises(BookingError, match="fully used"):
        sell_cash(seller, show, ["B1"], promo_code="TEN")


def test_per_customer_codes_are_for_online_only(seller, shift, show):
    make_promo(code="FIRST", first_booking_only=True)
    with pytest.raises(BookingError, match="only be used online"):
        sell_cash(seller, show, promo_code="FIRST")
    assert nothing_written()


def test_counter_sales_are_not_the_sellers_bookings(seller, shift, show, clock):
    from django.utils import timezone

    sell_cash(seller, show)
    now = timezone.now()
    assert not get_upcoming_bookings(seller, now).exists() and not get_past_bookings(seller, now).exists()


def test_best_available(seller, shift, show):
    assert counter_sales.best_available(show.pk, "Classic", 2) == ["A5", "A6"]
    sell_cash(seller, show, ["A5"])
    best = counter_sales.best_available(show.pk, "classic", 3)
    assert len(best) == 3 and "A5" not in best
    with pytest.raises(BookingError, match="no 11"):
        counter_sales.best_available(show.pk, "Classic", 11)
    with pytest.raises(BookingError, match="no Balcony"):
        counter_sales.best_available(show.pk, "Balcony", 1)


def test_void_puts_seats_back_and_refunds_at_the_counter(seller, shift, show, supervisor):
    from wagtail.models import ModelLogEntry

    result = sell_cash(seller, show)
    booking = counter_sales.void_sale(supervisor, result.booking.reference, "Customer left")
    assert booking.state == BookingState.REFUNDED
    assert ShowSeat.objects.filter(show=show, state=SeatState.AVAILABLE).count() == 20
    refund = booking.refunds.get()
    assert (refund.destination, refund.status, refund.amount, refund.created_by) == (
        "counter",
        "processed",
        TOTAL_A1_A2,
        supervisor,
    )
    assert ModelLogEntry.objects.filter(action="counter.void", object_id=str(booking.pk)).exists()
    with pytest.raises(BookingError, match="already refunded"):
        counter_sales.void_sale(supervisor, result.booking.reference, "Again")
    assert sell_cash(seller, show).booking.state == BookingState.CONFIRMED  # the seats sell again


def test_void_refusals(seller, shift, show, supervisor):
    from ticketing.services import counter_shifts

    result = sell_cash(seller, show)
    with pytest.raises(BookingError, match="reason"):
        counter_sales.void_sale(supervisor, result.booking.reference, " ")
    with pytest.raises(BookingError) as unknown:
        counter_sales.void_sale(supervisor, "MQNOPE", "x")
    assert unknown.value.status == 404
    ticket = result.tickets[0]
    Ticket.objects.filter(pk=ticket.pk).update(used_at=show.starts_at)
    with pytest.raises(BookingError, match="already admitted"):
        counter_sales.void_sale(supervisor, result.booking.reference, "x")
    Ticket.objects.filter(pk=ticket.pk).update(used_at=None)
    counter_shifts.close_shift(seller, shift.pk, "2542.80")
    with pytest.raises(BookingError, match="shift is closed"):
        counter_sales.void_sale(supervisor, result.booking.reference, "x")
    assert Booking.objects.get(pk=result.booking.pk).state == BookingState.CONFIRMED


def test_finance_cancelling_a_counter_sale_refunds_at_the_counter(seller, shift, show, supervisor):
    """Never to a gateway (there is none) nor to the selling staff member's wallet."""
    from ticketing.services.cancellation import cancel_booking, cancel_show
    from wallet.services import balance

    first = sell_cash(seller, show, ["A1", "A2"])
    second = sell_cash(seller, show, ["A3"])
    cancelled = cancel_booking(first.booking, destination="wallet", reason="Complaint", by=supervisor)
    assert cancelled.state == BookingState.REFUNDED and cancelled.needs_attention
    assert "box office" in cancelled.attention_note
    refund = cancelled.refunds.get()
    assert (refund.destination, refund.status, refund.amount) == ("counter", "processed", TOTAL_A1_A2)
    assert balance(seller) == 0
    cancel_show(show, destination="source", reason="Projector broke", by=supervisor)
    assert Booking.objects.get(pk=second.booking.pk).refunds.get().destination == "counter"
