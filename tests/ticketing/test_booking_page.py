"""The booking page (/bookings/<reference>/) and the show page's seat picker, rendered by Django.

The browser journey is in tests/e2e/test_seat_selection.py; here: who may see a booking, that
every amount is quote()'s, and what an ended hold looks like.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from cinema.models import ShowPage
from home.templatetags.marquee import inr
from tests.factories import make_show, make_user
from ticketing.models import BookingState, PromoCode, PromoKind, Refund, RefundDestination, RefundStatus
from ticketing.services.holds import hold_seats, release_hold
from ticketing.services.pricing import quote


def make_customer(username: str):
    user = make_user(username=username)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def show(movie, screen):
    return make_show(movie=movie, screen=screen)


@pytest.fixture
def customer(db):
    return make_customer("asha")


@pytest.fixture
def booking(customer, show):
    return hold_seats(customer, show, ["A1", "A2", "B5"]).booking


def page_url(booking) -> str:
    return reverse("booking_page", args=[booking.reference])


@pytest.mark.django_db
def test_owner_sees_seats_and_the_quote_with_every_tax_line(client, customer, booking):
    client.force_login(customer)
    response = client.get(page_url(booking))
    assert response.status_code == 200
    html = response.content.decode()
    expected = quote(booking)
    assert response.context["quote"].total == expected.total
    assert inr(expected.total) in html
    assert len(expected.taxes) >= 2  # tickets and the convenience fee
    for tax in expected.taxes:
        assert tax.name in html
        assert inr(tax.amount) in html
    assert inr(expected.base) in html and inr(expected.fee) in html
    for label in ("A1", "A2", "B5"):
        assert f'<li class="seat-chip">{label}</li>' in html
    assert booking.show.movie.title in html and booking.show.screen.theater.title in html
    # The pay button is there, with a note on how the rest is paid.
    assert "Proceed to pay" in html and "Card, UPI or netbanking." in html
    assert 'aria-describedby="pay-note"' in html
    # The countdown works from the server's held_until and its clock, the API from the reference.
    assert f'data-held-until="{timezone.localtime(booking.held_until).isoformat()}"' in html
    assert f"/api/bookings/{booking.reference}/promo" in html
    assert "csrftoken" in response.cookies
    assert "This hold has ended" in html  # present but hidden, for when the countdown runs out
    assert 'data-booking-ended aria-labelledby="ended-title" hidden' in html


@pytest.mark.django_db
def test_promo_code_shows_as_a_discount_line(client, customer, booking):
    promo = PromoCode.objects.create(code="FLAT50", kind=PromoKind.FLAT, value=50)
    booking.promo = promo
    booking.save(update_fields=["promo"])
    client.force_login(customer)
    html = client.get(page_url(booking)).content.decode()
    expected = quote(booking)
    assert expected.discount
    assert "Promo FLAT50" in html
    assert "\u2212" + inr(expected.discount) in html or "&minus;" + inr(expected.discount) in html
    assert inr(expected.total) in html


@pytest.mark.django_db
def test_another_customer_gets_404(client, booking):
    client.force_login(make_customer("ravi"))
    assert client.get(page_url(booking)).status_code == 404


@pytest.mark.django_db
def test_unknown_reference_is_404(client, customer):
    client.force_login(customer)
    assert client.get(reverse("booking_page", args=["MQNOSUCH99"])).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(client, booking):
    response = client.get(page_url(booking))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next={page_url(booking)}" in response["Location"].replace("%2F", "/")


@pytest.mark.django_db
def test_hold_past_its_time_shows_it_has_ended(client, customer, booking, clock):
    clock.shift(timedelta(minutes=10, seconds=1))  # lazy expiry: no sweep has run
    client.force_login(customer)
    response = client.get(page_url(booking))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This hold has ended" in html
    assert 'data-booking-ended aria-labelledby="ended-title">' in html  # shown, not hidden
    assert booking.show.url in html  # the way back to the seat map
    assert "Proceed to pay" not in html and "data-promo-form" not in html
    assert response.context["quote"] is None


@pytest.mark.django_db
def test_released_hold_shows_it_has_ended(client, customer, booking):
    release_hold(booking)
    booking.refresh_from_db()
    assert booking.state == BookingState.EXPIRED
    client.force_login(customer)
    html = client.get(page_url(booking)).content.decode()
    assert "This hold has ended" in html
    assert "Release seats" not in html


@pytest.mark.django_db
def test_page_only_reads(client, customer, booking, django_assert_max_num_queries):
    client.force_login(customer)
    with django_assert_max_num_queries(13) as queries:
        client.get(page_url(booking))
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


# --- the show page's seat picker -----------------------------------------------------------


@pytest.mark.django_db
def test_show_page_offers_the_seat_picker_and_the_session_endpoint_sets_the_csrf_cookie(client, show):
    response = client.get(show.url)
    html = response.content.decode()
    assert "data-seat-picker" in html
    assert 'data-seatmap-for="seat-picker"' in html
    assert f'data-seats-url="/api/shows/{show.pk}/seats"' in html
    assert f'data-hold-url="/api/shows/{show.pk}/holds"' in html
    assert f'data-max="{show.max_per_booking}"' in html
    assert 'data-booking-url="/bookings/REFERENCE/"' in html
    assert "js/seatmap.js" in html and "js/booking.js" in html
    assert "csrftoken" not in response.cookies  # the page is the same for everyone (cached)
    assert "js/session.js" in html
    assert "csrftoken" in client.get(f"/api/session?page={show.pk}").cookies
    # Without JavaScript the map is read-only: every seat is a disabled button.
    assert html.count('class="seat ') == 20
    assert html.count(" disabled>") >= 20
    # Signed out: the way to sign in comes back to this show.
    assert f'data-login-url="/accounts/login/?next={show.url}"' in html


@pytest.mark.django_db
def test_closed_show_has_no_picker(client, show):
    ShowPage.objects.filter(pk=show.pk).update(status="cancelled")
    show = ShowPage.objects.get(pk=show.pk)
    html = client.get(show.url).content.decode()
    assert "data-seat-picker" not in html
    assert "js/seatmap.js" not in html
    assert html.count('class="seat ') == 20


@pytest.mark.django_db
def test_a_cancelled_booking_says_where_the_money_went(client, customer, booking, clock):
    """One line per refund: the wallet part (added at once) and the card part (on its way,
    then sent), so the customer never wonders where the money is."""
    booking.state = BookingState.REFUNDED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["state", "cancelled_at"])
    Refund.objects.create(
        booking=booking,
        destination=RefundDestination.WALLET,
        amount=Decimal("150.00"),
        reason="Cancelled",
        status=RefundStatus.PROCESSED,
        processed_at=timezone.now(),
    )
    card = Refund.objects.create(
        booking=booking, destination=RefundDestination.SOURCE, amount=Decimal("440.50"), reason="Cancelled"
    )
    client.force_login(customer)

    html = client.get(page_url(booking)).content.decode()
    assert "Your money back" in html
    assert f"{inr(Decimal('150.00'))}</strong>" in html and "Marquee wallet" in html
    assert f"{inr(Decimal('440.50'))}</strong>" in html and "on its way" in html

    Refund.objects.filter(pk=card.pk).update(status=RefundStatus.PROCESSED, processed_at=timezone.now())
    html = client.get(page_url(booking)).content.decode()
    assert "on its way" not in html and "sent" in html and "5–7 working days" in html


@pytest.mark.django_db
def test_a_cancelled_booking_with_nothing_paid_says_so(client, customer, booking):
    booking.state = BookingState.CANCELLED
    booking.save(update_fields=["state"])
    client.force_login(customer)
    html = client.get(page_url(booking)).content.decode()
    assert "Nothing was refunded for this booking" in html
