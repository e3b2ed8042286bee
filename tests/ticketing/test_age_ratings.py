"""Age ratings: an A-rated film is held only after the customer confirms being 18 or older
(recorded on the booking: who, when), the API refuses a hold without it naming the field, the
show page shows the rating's notice, and the door sees the rating.

The clock is frozen at Fri 20 Nov 2026 10:00 IST; the default show is tomorrow at 18:00."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from home.roles import BOX_OFFICE
from tests.factories import make_movie, make_show, make_user
from tests.fixtures.checkout import fund, signed_in
from ticketing.errors import AgeNotConfirmed
from ticketing.models import Booking, BookingState, SeatState, ShowSeat
from ticketing.services.checkout import start_checkout
from ticketing.services.holds import ShowFacts, hold_reads, hold_seats

pytestmark = pytest.mark.django_db

JSON = "application/json"


def rated(certification: str, title: str = "Night Shift"):
    return make_show(movie=make_movie(title=title, slug=title.lower().replace(" ", "-"), certification=certification))


@pytest.fixture
def adult_show(db):
    return rated("A")


def held_seats(show) -> list[str]:
    return sorted(ShowSeat.objects.filter(show=show, state=SeatState.HELD).values_list("label", flat=True))


def facts(show, user):
    with hold_reads(user, show.pk):
        return ShowFacts.load(show.pk)


# --- the service --------------------------------------------------------------------------------


@pytest.mark.parametrize("as_facts", [True, False], ids=["facts", "page"])
def test_an_a_film_is_not_held_without_the_confirmation_and_nothing_is_written(adult_show, alice, as_facts):
    show = facts(adult_show, alice) if as_facts else adult_show
    with pytest.raises(AgeNotConfirmed) as refused:
        hold_seats(alice, show, ["A1", "A2"])
    assert refused.value.status == 400 and refused.value.code == "age_confirmation_required"
    assert "“Night Shift” is rated A (adults only)" in refused.value.message
    assert "18 or older" in refused.value.message
    assert not Booking.objects.exists()
    assert held_seats(adult_show) == []


def test_the_confirmation_is_recorded_on_the_hold_with_who_and_when(adult_show, alice, clock):
    booking = hold_seats(alice, facts(adult_show, alice), ["A1"], age_confirmed=True).booking
    booking.refresh_from_db()
    assert (booking.age_confirmed_by, booking.age_confirmed_at) == (alice, timezone.now())
    assert held_seats(adult_show) == ["A1"]

    # Holding again (another seat, a minute later) asks again and records the new moment.
    clock.shift(timedelta(minutes=1))
    with pytest.raises(AgeNotConfirmed):
        hold_seats(alice, facts(adult_show, alice), ["A1", "A2"])
    assert held_seats(adult_show) == ["A1"]  # the refused replacement changed nothing
    again = hold_seats(alice, facts(adult_show, alice), ["A1", "A2"], age_confirmed=True).booking
    again.refresh_from_db()
    assert again.pk == booking.pk
    assert again.age_confirmed_at == timezone.now() and again.age_confirmed_by == alice


def test_the_record_stays_on_the_confirmed_booking(adult_show, alice):
    booking = hold_seats(alice, adult_show, ["A1"], age_confirmed=True).booking
    fund(alice, 1000)
    paid = start_checkout(booking, use_wallet=True).booking
    paid.refresh_from_db()
    assert paid.state == BookingState.CONFIRMED
    assert paid.age_confirmed_by == alice and paid.age_confirmed_at is not None


def test_a_taken_seat_is_named_before_the_missing_confirmation(adult_show, alice, bob):
    """What the seats refuse comes first (the customer must pick other seats anyway); the
    age confirmation is asked of a hold nothing else refuses."""
    from ticketing.errors import SeatsUnavailable

    hold_seats(bob, adult_show, ["A2"], age_confirmed=True)
    with pytest.raises(SeatsUnavailable) as refused:
        hold_seats(alice, facts(adult_show, alice), ["A1", "A2"])
    assert refused.value.extra["unavailable"] == ["A2"]
    with pytest.raises(AgeNotConfirmed):
        hold_seats(alice, facts(adult_show, alice), ["A1"])
    assert held_seats(adult_show) == ["A2"] and Booking.objects.count() == 1


@pytest.mark.parametrize("certification", ["U", "UA", "UA7+", "UA13+", "UA16+", "S"])
def test_other_ratings_need_no_confirmation_and_record_none(alice, certification):
    show = rated(certification)
    booking = hold_seats(alice, facts(show, alice), ["A1"]).booking
    booking.refresh_from_db()
    assert (booking.age_confirmed_at, booking.age_confirmed_by) == (None, None)


def test_a_rating_changed_to_a_after_publishing_is_enforced_at_once(alice, django_capture_on_commit_callbacks):
    show = rated("UA16+")
    assert facts(show, alice).certification == "UA16+"  # now cached under the content version
    movie = show.movie
    movie.certification = "A"
    with django_capture_on_commit_callbacks(execute=True):  # the version is bumped after the commit
        movie.save_revision().publish()
    with pytest.raises(AgeNotConfirmed):
        hold_seats(alice, facts(show, alice), ["A1"])


# --- the API ------------------------------------------------------------------------------------


def post_hold(client, show, body):
    return client.post(f"/api/shows/{show.pk}/holds", json.dumps(body), content_type=JSON)


def test_api_refuses_a_hold_without_age_confirmed_naming_the_field(adult_show, alice):
    client = signed_in(alice)
    for body in ({"seats": ["A1"]}, {"seats": ["A1"], "age_confirmed": False}):
        response = post_hold(client, adult_show, body)
        assert response.status_code == 400
        data = response.json()
        assert data["code"] == "age_confirmation_required"
        assert '"age_confirmed": true' in data["detail"] and "18 or older" in data["detail"]
    assert not Booking.objects.exists() and held_seats(adult_show) == []


def test_api_holds_with_age_confirmed_and_records_it(adult_show, alice):
    response = post_hold(signed_in(alice), adult_show, {"seats": ["A1"], "age_confirmed": True})
    assert response.status_code == 201
    booking = Booking.objects.get(reference=response.json()["reference"])
    assert booking.age_confirmed_by == alice and booking.age_confirmed_at == timezone.now()


def test_api_age_confirmed_must_be_a_boolean(adult_show, alice):
    response = post_hold(signed_in(alice), adult_show, {"seats": ["A1"], "age_confirmed": "maybe"})
    assert response.status_code == 422
    assert "age_confirmed" in response.json()["detail"]
    assert not Booking.objects.exists()


def test_api_schema_documents_the_field(client):
    schema = client.get("/api/openapi.json").json()
    hold_in = schema["components"]["schemas"]["HoldIn"]["properties"]["age_confirmed"]
    assert hold_in["type"] == "boolean" and hold_in["default"] is False
    assert "age_confirmation_required" in hold_in["description"]


# --- the show page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("certification", "notice"),
    [
        ("UA13+", "Rated UA 13+: children under 13 may watch only with a parent or guardian."),
        ("UA16+", "Rated UA 16+: children under 16 may watch only with a parent or guardian."),
    ],
)
def test_ua13_and_ua16_shows_carry_a_notice(certification, notice):
    html = Client().get(rated(certification).url).content.decode()
    assert "data-rating-notice" in html and notice in html
    assert "data-age-confirm" not in html


def test_an_a_show_asks_for_the_confirmation_on_the_page():
    html = Client().get(rated("A").url).content.decode()
    assert "Rated A: adults only." in html
    assert 'name="age_confirmed" data-age-confirm' in html
    assert "I am 18 or older." in html


@pytest.mark.parametrize("certification", ["U", "UA", "UA7+"])
def test_other_ratings_have_no_notice(certification):
    html = Client().get(rated(certification).url).content.decode()
    assert "data-rating-notice" not in html and "data-age-confirm" not in html


# --- the door -----------------------------------------------------------------------------------


@pytest.fixture
def adult_ticket(adult_show, alice):
    booking = hold_seats(alice, adult_show, ["A1"], age_confirmed=True).booking
    fund(alice, 1000)
    return start_checkout(booking, use_wallet=True).booking.tickets.get()


@pytest.fixture
def door(db):
    user = make_user(username="doorman")
    user.groups.add(Group.objects.get(name=BOX_OFFICE))
    return signed_in(user)


def test_check_in_api_shows_the_rating(door, adult_ticket):
    data = door.post("/api/checkin", json.dumps({"code": adult_ticket.code}), content_type=JSON).json()
    assert data["result"] == "admitted"
    assert data["ticket"]["certification"] == "A"


def test_check_in_page_shows_the_rating(door, adult_ticket):
    token = door.get("/admin/checkin/").cookies["csrftoken"].value
    html = door.post("/admin/checkin/", {"code": adult_ticket.code, "csrfmiddlewaretoken": token}).content.decode()
    assert "checkin-result--admitted" in html
    assert "<dt>Rated</dt><dd>A · adults only (18+)</dd>" in html
    assert "checkin-result__adults" in html


def test_booking_inspect_shows_who_confirmed(adult_ticket, alice):
    staff = make_user("wagtailadmin.access_admin", "ticketing.view_booking", username="finance")
    html = signed_in(staff).get(f"/admin/bookings/inspect/{adult_ticket.booking_id}/").content.decode()
    assert "Confirmed 18 or older" in html
    assert "alice@example.com, Fri 20 Nov 2026, 10:00 am" in html
