"""The JSON API at /api/: the contract other clients use. Paths, shapes and status codes
stay as published; refusals are {"detail": ...} with a 4xx, never a 500.

The clock is frozen at Fri 20 Nov 2026 10:00 IST; the default show is tomorrow at 18:00 with
A1–A10 Classic (₹200) and B1–B10 Prime (₹250)."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cinema.models import ShowPage
from tests.factories import (
    local_dt,
    make_customer,
    make_layout,
    make_movie,
    make_promo,
    make_screen,
    make_show,
    make_theater,
    row,
)
from tests.fixtures.checkout import signed_in
from ticketing.models import Booking, BookingState, SeatState, ShowSeat
from ticketing.services.holds import hold_seats

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The hold rate limit counts in the cache: start every test from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def as_bob(bob):
    return signed_in(bob)


def holds_url(show) -> str:
    return f"/api/shows/{show.pk}/holds"


def post_hold(client, show, seats):
    return client.post(holds_url(show), json.dumps({"seats": seats}), content_type=JSON)


def seat_states(show) -> dict:
    return dict(ShowSeat.objects.filter(show=show).values_list("label", "state"))


# --- GET /api/shows ------------------------------------------------------------------------


@pytest.fixture
def listing(movie, hindi):
    """Dune tomorrow 18:00 in Mumbai (one seat sold, one held, one hold run out), Arrival on
    22 Nov in Pune, a draft show, and a show that started yesterday."""
    dune = make_show(movie=movie)
    ShowSeat.objects.filter(show=dune, label="A1").update(state=SeatState.SOLD)
    ShowSeat.objects.filter(show=dune, label="A2").update(state=SeatState.HELD, held_until=timezone.now() + timedelta(minutes=5))
    ShowSeat.objects.filter(show=dune, label="A3").update(state=SeatState.HELD, held_until=timezone.now() - timedelta(minutes=1))
    arrival = make_show(
        movie=make_movie(title="Arrival", slug="arrival", languages=[hindi]),
        screen=make_theater(title="Pune Plaza", slug="pune-plaza", city="Pune").screens.first(),
        starts_at=local_dt(2026, 11, 22, 21),
    )
    make_show(movie=movie, live=False, starts_at=local_dt(2026, 11, 23, 18))
    past = make_show(movie=movie, starts_at=local_dt(2026, 11, 21, 9))
    ShowPage.objects.filter(pk=past.pk).update(starts_at=local_dt(2026, 11, 19, 18))
    return dune, arrival


def test_list_shows(client, listing):
    dune, arrival = listing
    response = client.get("/api/shows")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": dune.pk,
            "movie": "Dune",
            "theater": dune.screen.theater.title,
            "screen": "Screen 1",
            "starts_at": "2026-11-21T18:00:00+05:30",
            "language": "Hindi",
            "format": "2D",
            "status": "on_sale",
            "seats_total": 20,
            "seats_available": 18,  # A1 sold, A2 held; A3's hold has run out
            "url": dune.get_full_url(),
            "accessibility": [],
        },
        {
            "id": arrival.pk,
            "movie": "Arrival",
            "theater": "Pune Plaza",
            "screen": "Screen 1",
            "starts_at": "2026-11-22T21:00:00+05:30",
            "language": "Hindi",
            "format": "2D",
            "status": "on_sale",
            "seats_total": 20,
            "seats_available": 20,
            "url": arrival.get_full_url(),
            "accessibility": [],
        },
    ]
    assert response.json()[0]["url"].startswith("http://") and "/movies/dune/shows/2026-11-21-1800-" in response.json()[0]["url"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("date=2026-11-21", ["Dune"]),
        ("date=2026-11-22", ["Arrival"]),
        ("date=2026-11-24", []),
        ("movie=arrival", ["Arrival"]),
        ("movie=nothing", []),
        ("city=pune", ["Arrival"]),
        ("city=Mumbai&movie=dune", ["Dune"]),
        ("city=Mumbai&movie=arrival", []),
    ],
)
def test_list_shows_filters(client, listing, query, expected):
    response = client.get(f"/api/shows?{query}")
    assert response.status_code == 200
    assert [item["movie"] for item in response.json()] == expected


def test_list_shows_refuses_a_bad_date(client):
    response = client.get("/api/shows?date=21-11-2026")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("date: ")


# --- GET /api/shows/{id}/seats -------------------------------------------------------------


def test_seat_map_for_anyone(client, show, bob):
    hold_seats(bob, show, ["A2"])
    ShowSeat.objects.filter(show=show, label="B1").update(state=SeatState.SOLD)
    response = client.get(f"/api/shows/{show.pk}/seats")
    assert response.status_code == 200
    data = response.json()
    assert {k: v for k, v in data.items() if k != "seats"} == {
        "show": show.pk,
        "status": "on_sale",
        "bookable": True,
        "max_per_booking": 10,
        "categories": [{"name": "Prime", "price": "250.00"}, {"name": "Classic", "price": "200.00"}],
        "hold": None,
    }
    assert len(data["seats"]) == 20
    assert data["seats"][0] == {
        "label": "A1",
        "row": "A",
        "number": 1,
        "category": "Classic",
        "price": "200.00",
        "state": "available",
        "mine": False,
        "wheelchair": False,
        "companion": False,
        "companion_until": None,
    }
    states = {seat["label"]: seat["state"] for seat in data["seats"]}
    assert (states["A2"], states["B1"], states["B2"]) == ("held", "sold", "available")
    assert not any(seat["mine"] for seat in data["seats"])


def test_seat_map_marks_my_seats_and_my_hold(as_alice, show, alice, bob, clock):
    hold_seats(bob, show, ["A1"])
    mine = hold_seats(alice, show, ["A3", "A4"]).booking
    data = as_alice.get(f"/api/shows/{show.pk}/seats").json()
    assert sorted(seat["label"] for seat in data["seats"] if seat["mine"]) == ["A3", "A4"]
    assert data["hold"]["reference"] == mine.reference
    assert data["hold"]["seats"] == ["A3", "A4"]
    assert data["hold"]["quote"]["base"] == "400.00"

    clock.shift(timedelta(minutes=10, seconds=1))  # every hold has run out: all free again
    data = as_alice.get(f"/api/shows/{show.pk}/seats").json()
    assert data["hold"] is None
    assert {seat["state"] for seat in data["seats"]} == {"available"}
    assert not any(seat["mine"] for seat in data["seats"])


def test_seat_map_of_a_missing_or_draft_show_is_404(client, movie):
    draft = make_show(movie=movie, live=False)
    for show_id in (draft.pk, 999999):
        response = client.get(f"/api/shows/{show_id}/seats")
        assert response.status_code == 404
        assert response.json() == {"detail": "No such show."}


def big_show(movie, rows: int):
    layout = make_layout(rows=[row(chr(ord("A") + i), 20, "Classic" if i < rows - 2 else "Prime") for i in range(rows)])
    return make_show(movie=movie, screen=make_screen(seat_layout=layout))


def test_seat_map_reads_a_fixed_number_of_queries_whatever_the_seat_count(movie, alice, bob, django_assert_max_num_queries):
    """20 seats or 400, anonymous or with a hold: the same handful of queries."""
    small, large = big_show(movie, 1), big_show(movie, 20)
    for show in (small, large):
        hold_seats(alice, show, [f"A{n}" for n in range(1, 5)])
        hold_seats(bob, show, ["A9"])
        ShowSeat.objects.filter(show=show, label__startswith="B").update(state=SeatState.SOLD)
    assert ShowSeat.objects.filter(show=large).count() == 400

    counts = {}
    for name, client in (("anonymous", Client()), ("customer", signed_in(alice))):
        client.get("/api/session")  # the signed-in user's row is read once, then cached
        for show in (small, large):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/api/shows/{show.pk}/seats")
            assert response.status_code == 200
            counts[name, show.pk] = len(queries)
        assert counts[name, small.pk] == counts[name, large.pk], name
        with django_assert_max_num_queries(counts[name, small.pk]):
            assert len(client.get(f"/api/shows/{large.pk}/seats").json()["seats"]) == 400
    customer = signed_in(alice)
    with django_assert_max_num_queries(10):  # session, user, show, prices, seats, the hold and its quote
        customer.get(f"/api/shows/{large.pk}/seats")


# --- POST /api/shows/{id}/holds ------------------------------------------------------------


def test_hold_201_returns_the_booking(as_alice, show, alice):
    response = post_hold(as_alice, show, ["A1", "B1"])
    assert response.status_code == 201
    data = response.json()
    booking = Booking.objects.get(user=alice)
    assert data == {
        "reference": booking.reference,
        "state": "held",
        "show": show.pk,
        "seats": ["A1", "B1"],
        "held_until": "2026-11-20T10:10:00+05:30",
        "promo_code": None,
        "quote": {
            "base": "450.00",
            "food": "0.00",
            "bundles": "0.00",
            "items": [],
            "discount": "0.00",
            "fee": "60.00",
            "taxes": [
                {
                    "name": "GST on tickets @ 18%",
                    "rate": "18.00",
                    "amount": "81.00",
                    "taxable": "450.00",
                    "kind": "admission",
                    "state_waived": False,
                },
                {
                    "name": "GST on convenience fee @ 18%",
                    "rate": "18.00",
                    "amount": "10.80",
                    "taxable": "60.00",
                    "kind": "fee",
                    "state_waived": False,
                },
            ],
            "total": "601.80",
            "wallet_applied": "0.00",
            "payable": "601.80",
            "complimentary": False,
            "face_value": None,
        },
        "items": [],
        "pickup_code": None,
        "warnings": [],
    }
    assert (seat_states(show)["A1"], seat_states(show)["B1"]) == ("held", "held")


def test_hold_replaces_and_warns(as_alice, show, bob):
    hold_seats(bob, show, ["A1"])
    first = post_hold(as_alice, show, ["A5", "A6"]).json()
    second = post_hold(as_alice, show, ["A3", "A4"])
    assert second.status_code == 201
    assert second.json()["reference"] == first["reference"]
    assert second.json()["warnings"] == ["Seat A2 is left as a single empty seat between taken seats."]
    assert (seat_states(show)["A5"], seat_states(show)["A3"]) == ("available", "held")


def test_hold_409_names_the_taken_seats_and_changes_nothing(as_alice, show, bob):
    hold_seats(bob, show, ["A2", "A3"])
    before = seat_states(show)
    response = post_hold(as_alice, show, ["A1", "A2", "A3"])
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Sorry, A2, A3 were just taken. Pick other seats.",
        "code": "seats_taken",
        "unavailable": ["A2", "A3"],
    }
    assert seat_states(show) == before
    assert not Booking.objects.filter(user__username="alice").exists()


def test_hold_409_for_a_blocked_seat(as_alice, movie):
    show = make_show(movie=movie, screen=make_screen(seat_layout=make_layout(rows=[row("A", 5, blocked="5")])))
    response = post_hold(as_alice, show, ["A5"])
    assert response.status_code == 409
    assert response.json()["unavailable"] == ["A5"]


@pytest.mark.parametrize(
    "change, seats, detail",
    [
        ({}, ["A1", "Z1"], "There is no seat Z1 at this show."),
        ({"max_per_booking": 2}, ["A1", "A2", "A3"], "You can book at most 2 seats at a time."),
        ({"status": "cancelled"}, ["A1"], "This show has been cancelled."),
        ({"booking_closes_at": local_dt(2026, 11, 20, 9)}, ["A1"], "Booking for this show has closed."),
        ({"booking_opens_at": local_dt(2026, 11, 21, 9)}, ["A1"], "Booking opens 21 Nov at 09:00."),
        ({"starts_at": local_dt(2026, 11, 20, 9, 59)}, ["A1"], "This show has already started."),
    ],
)
def test_hold_400_with_the_reason(as_alice, show, change, seats, detail):
    ShowPage.objects.filter(pk=show.pk).update(**change)
    response = post_hold(as_alice, show, seats)
    assert response.status_code == 400
    assert response.json()["detail"] == detail
    assert set(seat_states(show).values()) == {"available"}


def test_hold_401_when_signed_out(client, show):
    response = post_hold(client, show, ["A1"])
    assert response.status_code == 401
    assert response.json() == {"detail": "Please sign in first."}
    assert not Booking.objects.exists()


def test_hold_403_when_not_verified(show):
    client = signed_in(make_customer(verified=False, username="carol"))
    response = post_hold(client, show, ["A1"])
    assert response.status_code == 403
    assert response.json()["detail"] == "Please verify your e-mail address before holding seats."
    assert not Booking.objects.exists()


def test_hold_404_for_a_missing_or_draft_show(as_alice, movie):
    draft = make_show(movie=movie, live=False)
    for show_id in (draft.pk, 999999):
        response = as_alice.post(f"/api/shows/{show_id}/holds", json.dumps({"seats": ["A1"]}), content_type=JSON)
        assert response.status_code == 404
        assert response.json() == {"detail": "No such show."}


def test_hold_400_for_malformed_json(as_alice, show):
    response = as_alice.post(holds_url(show), '{"seats": ["A1"', content_type=JSON)
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "body, detail",
    [
        ({"seats": "A1"}, "seats: Input should be a valid list"),
        ({"seats": [1, 2]}, "seats.0: Input should be a valid string"),
        ({"seats": [None]}, "seats.0: Input should be a valid string"),
        ({"seats": {"A1": True}}, "seats: Input should be a valid list"),
        ({"seats": ["A1"], "promo": "X"}, "promo: Extra inputs are not permitted"),
        ({"seats": []}, "seats: List should have at least 1 item after validation, not 0"),
        ({"seats": ["A1"] * 21}, "seats: List should have at most 20 items after validation, not 21"),
        ({"seats": ["A" * 9]}, "seats.0: String should have at most 8 characters"),
        ({"seat": ["A1"]}, "seats: Field required"),
        ([], "Input should be a valid dictionary or object to extract fields from"),
    ],
)
def test_hold_422_for_wrong_types_unknown_fields_and_huge_arrays(as_alice, show, body, detail):
    response = as_alice.post(holds_url(show), json.dumps(body), content_type=JSON)
    assert response.status_code == 422
    assert detail in response.json()["detail"]
    assert not Booking.objects.exists()


def test_hold_429_past_the_rate_limit(as_alice, as_bob, show, settings, clock):
    settings.MARQUEE_HOLD_RATE = 3
    assert [post_hold(as_alice, show, [f"A{n}"]).status_code for n in (1, 2, 3)] == [201, 201, 201]
    refused = post_hold(as_alice, show, ["A4"])
    assert refused.status_code == 429
    assert refused.json()["detail"] == "Too many seat changes in a minute. Please wait a moment and try again."
    assert seat_states(show)["A4"] == "available"
    assert post_hold(as_bob, show, ["B1"]).status_code == 201  # per customer
    clock.shift(timedelta(minutes=1))
    assert post_hold(as_alice, show, ["A4"]).status_code == 201


def test_hold_rate_limit_zero_disables_it(as_alice, show, settings):
    settings.MARQUEE_HOLD_RATE = 0
    assert {post_hold(as_alice, show, [f"A{n % 10 + 1}"]).status_code for n in range(25)} == {201}


# --- CSRF ----------------------------------------------------------------------------------


def test_unsafe_methods_need_the_csrf_token(alice, show):
    client = signed_in(alice, enforce_csrf_checks=True)
    response = post_hold(client, show, ["A1"])
    assert response.status_code == 403
    assert not Booking.objects.exists()

    client.cookies["csrftoken"] = token = "a" * 32
    response = client.post(holds_url(show), json.dumps({"seats": ["A1"]}), content_type=JSON, headers={"X-CSRFToken": token})
    assert response.status_code == 201
    reference = response.json()["reference"]
    make_promo(code="TEN")
    for method, path, body in (
        ("post", f"/api/bookings/{reference}/promo", {"code": "ten"}),
        ("delete", f"/api/bookings/{reference}/promo", None),
        ("delete", f"/api/bookings/{reference}/hold", None),
    ):
        call = getattr(client, method)
        data = json.dumps(body) if body else None
        assert call(path, data, content_type=JSON).status_code == 403, (method, path)
        assert call(path, data, content_type=JSON, headers={"X-CSRFToken": token}).status_code in (200, 204), (method, path)
    assert Booking.objects.get(reference=reference).state == BookingState.EXPIRED


# --- bookings ------------------------------------------------------------------------------


@pytest.fixture
def booking(show, alice):
    return hold_seats(alice, show, ["A1", "A2"]).booking


def test_get_booking(as_alice, booking, show):
    response = as_alice.get(f"/api/bookings/{booking.reference}")
    assert response.status_code == 200
    data = response.json()
    assert {k: data[k] for k in ("reference", "state", "show", "seats", "held_until")} == {
        "reference": booking.reference,
        "state": "held",
        "show": show.pk,
        "seats": ["A1", "A2"],
        "held_until": "2026-11-20T10:10:00+05:30",
    }
    assert data["quote"]["total"] == "542.80"  # 400 + 72 GST + 60 fee + 10.80 GST
    assert set(data["quote"]) == {
        "base",
        "food",
        "bundles",
        "items",
        "discount",
        "fee",
        "taxes",
        "total",
        "wallet_applied",
        "payable",
        "complimentary",
        "face_value",
    }
    assert (data["items"], data["pickup_code"]) == ([], None)


def test_release_hold_204(as_alice, booking, show):
    response = as_alice.delete(f"/api/bookings/{booking.reference}/hold")
    assert response.status_code == 204
    assert response.content == b""
    assert set(seat_states(show).values()) == {"available"}
    assert as_alice.get(f"/api/bookings/{booking.reference}").json()["state"] == "expired"
    assert as_alice.delete(f"/api/bookings/{booking.reference}/hold").status_code == 204


def test_add_and_remove_a_promo(as_alice, booking):
    make_promo(code="FLAT100", kind="flat", value="100")
    response = as_alice.post(f"/api/bookings/{booking.reference}/promo", json.dumps({"code": "flat100"}), content_type=JSON)
    assert response.status_code == 200
    data = response.json()
    assert data["reference"] == booking.reference
    assert data["promo_code"] == "FLAT100"
    assert (data["quote"]["discount"], data["quote"]["total"]) == ("100.00", "424.80")

    response = as_alice.delete(f"/api/bookings/{booking.reference}/promo")
    assert response.status_code == 200
    assert response.json()["promo_code"] is None
    assert response.json()["quote"]["discount"] == "0.00"


def test_promo_400_with_the_reason(as_alice, booking):
    make_promo(code="BIG", min_order="1000")
    url = f"/api/bookings/{booking.reference}/promo"
    response = as_alice.post(url, json.dumps({"code": "big"}), content_type=JSON)
    assert response.status_code == 400
    assert response.json()["detail"] == "The code BIG needs a minimum order of ₹1,000.00 (tickets before fees and GST)."
    response = as_alice.post(url, json.dumps({"code": "nope"}), content_type=JSON)
    assert (response.status_code, response.json()["detail"]) == (400, "There is no promo code NOPE.")
    assert Booking.objects.get(pk=booking.pk).promo_id is None


@pytest.mark.parametrize(
    "body, status",
    [
        ('{"code": 5}', 422),
        ('{"code": ""}', 422),
        ('{"code": "' + "X" * 31 + '"}', 422),
        ('{"code": "TEN", "extra": 1}', 422),
        ("{}", 422),
        ('{"code": ', 400),
    ],
)
def test_promo_malformed(as_alice, booking, body, status):
    response = as_alice.post(f"/api/bookings/{booking.reference}/promo", body, content_type=JSON)
    assert response.status_code == status
    assert response.json()["detail"]


def test_promo_on_a_booking_past_its_hold_stage_is_400(as_alice, booking):
    Booking.objects.filter(pk=booking.pk).update(state=BookingState.PAYMENT_PENDING)
    make_promo(code="TEN")
    response = as_alice.post(f"/api/bookings/{booking.reference}/promo", json.dumps({"code": "ten"}), content_type=JSON)
    assert response.status_code == 400
    assert response.json()["detail"] == "Promo codes can only be added while your seats are held."


BOOKING_CALLS = [
    ("get", "/api/bookings/{ref}", None),
    ("delete", "/api/bookings/{ref}/hold", None),
    ("post", "/api/bookings/{ref}/promo", {"code": "TEN"}),
    ("delete", "/api/bookings/{ref}/promo", None),
]


@pytest.mark.parametrize("method, path, body", BOOKING_CALLS)
def test_booking_endpoints_401_when_signed_out(client, booking, method, path, body):
    make_promo(code="TEN")
    data = json.dumps(body) if body else None
    response = getattr(client, method)(path.format(ref=booking.reference), data, content_type=JSON)
    assert response.status_code == 401


@pytest.mark.parametrize("method, path, body", BOOKING_CALLS)
def test_another_customers_booking_is_404_on_every_endpoint(as_bob, booking, show, method, path, body):
    """IDOR: bob knows alice's reference; he learns nothing and changes nothing."""
    promo = make_promo(code="TEN")
    Booking.objects.filter(pk=booking.pk).update(promo=promo)
    data = json.dumps(body) if body else None
    response = getattr(as_bob, method)(path.format(ref=booking.reference), data, content_type=JSON)
    assert response.status_code == 404
    missing = getattr(as_bob, method)(path.format(ref="MQ23456789"), data, content_type=JSON)
    assert response.json() == missing.json() == {"detail": "No such booking."}
    booking.refresh_from_db()
    assert (booking.state, booking.promo_id) == (BookingState.HELD, promo.pk)
    assert (seat_states(show)["A1"], seat_states(show)["A2"]) == ("held", "held")


# --- malformed input never reaches a 500 ---------------------------------------------------

MALFORMED = [
    ("post", "/api/shows/{show}/holds", "[" * 50_000),
    ("post", "/api/shows/{show}/holds", '{"seats": ["A1"]}\x00'),
    ("post", "/api/shows/{show}/holds", '{"seats": ["A1"], "seats": 5}'),
    ("post", "/api/shows/{show}/holds", json.dumps({"seats": ["A1"] * 10_000})),
    ("post", "/api/shows/{show}/holds", json.dumps({"seats": ["x" * 100_000]})),
    ("post", "/api/shows/{show}/holds", '{"seats": [1e400]}'),
    ("post", "/api/shows/{show}/holds", json.dumps({"seats": ["\x00"]})),
    ("post", "/api/shows/{show}/holds", json.dumps({"seats": ["A\uff11"]})),
    ("post", "/api/shows/{show}/holds", "null"),
    ("post", "/api/shows/{show}/holds", ""),
    ("post", "/api/shows/abc/holds", '{"seats": ["A1"]}'),
    ("post", "/api/shows/99999999999999999999/holds", '{"seats": ["A1"]}'),
    ("get", "/api/shows/99999999999999999999/seats", None),
    ("get", "/api/shows/9223372036854775808/seats", None),
    ("get", "/api/shows/-1/seats", None),
    ("get", "/api/shows?date=2026-02-30", None),
    ("get", "/api/shows?movie=" + "x" * 300, None),
    ("get", "/api/bookings/%00", None),
    ("get", "/api/bookings/" + "M" * 5000, None),
    ("post", "/api/bookings/{ref}/promo", json.dumps({"code": "\x00"})),
    ("post", "/api/bookings/{ref}/promo", '{"code": ["TEN"]}'),
    ("post", "/api/bookings/{ref}/promo", "\xff\xfe"),
]


@pytest.mark.parametrize("method, path, body", MALFORMED, ids=[f"{m} {p[:40]} {repr(b)[:30]}" for m, p, b in MALFORMED])
def test_malformed_input_gets_a_4xx_never_a_500(show, booking, method, path, body):
    client = Client(raise_request_exception=False)
    client.force_login(booking.user)
    url = path.format(show=show.pk, ref=booking.reference)
    response = getattr(client, method)(url, body, content_type=JSON) if body is not None else client.get(url)
    assert 400 <= response.status_code < 500, response.content[:300]
    assert response.json()["detail"]


@pytest.mark.parametrize("query", ["city=%00", "movie=%00", "city=" + "%F0%9F%8E%AC" * 20, "date=&movie=&city="])
def test_odd_filters_are_answered_never_a_500(query):
    client = Client(raise_request_exception=False)
    response = client.get(f"/api/shows?{query}")
    assert response.status_code < 500, response.content[:300]
