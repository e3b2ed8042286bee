"""The food stand: a confirmed booking's items are handed over once; a second scan says when
(docs/DESIGN.md §3: one conditional UPDATE on `collected_at IS NULL`)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group

from home.roles import BOX_OFFICE
from tests.factories import make_user
from tests.fixtures.checkout import fund, signed_in
from ticketing.models import FoodPickup
from ticketing.services.booking_items import set_items
from ticketing.services.cancellation import cancel_booking
from ticketing.services.checkout import start_checkout
from ticketing.services.pickup import ALREADY_COLLECTED, CANCELLED, HANDED_OVER, INVALID, collect


@pytest.fixture
def paid(alice, held, popcorn):
    fund(alice, "5000")
    return start_checkout(set_items(held, [("POP-L", 2)]), use_wallet=True).booking


@pytest.fixture
def stand(db):
    user = make_user(username="stand", is_staff=True)
    user.groups.add(Group.objects.get(name=BOX_OFFICE))
    return user


def test_a_confirmed_booking_with_items_gets_one_pickup_code(paid):
    assert FoodPickup.objects.filter(booking=paid).count() == 1


def test_a_booking_without_items_gets_none(alice, held):
    fund(alice, "5000")
    start_checkout(held, use_wallet=True)
    assert not FoodPickup.objects.exists()


def test_hand_over_once_then_already_collected_with_the_time(clock, paid, stand):
    code = paid.pickup.code
    first = collect(code.lower()[:5] + " " + code.lower()[5:], by=stand)  # typed in pieces, lower case
    assert first.result == HANDED_OVER
    assert first.message == "Hand over: 2 × Large salted popcorn"
    clock.shift(timedelta(minutes=5))
    second = collect(code, by=stand)
    assert second.result == ALREADY_COLLECTED
    assert second.message == "Already collected at 10:00 am"  # the first scan's time (IST)


def test_a_cancelled_booking_is_not_handed_over(paid, stand):
    cancel_booking(paid, destination="wallet", reason="Changed plans")
    assert collect(paid.pickup.code, by=stand).result == CANCELLED


@pytest.mark.parametrize("code", ["", "FD", "FD0000000O", "MQABCDEFGH", "x" * 500])
def test_codes_that_cannot_be_a_pickup_code_are_invalid(db, stand, code):
    assert collect(code, by=stand).result == INVALID


def test_the_pickup_screen_needs_the_permission(paid, stand):
    assert signed_in(make_user(username="nobody", is_staff=True)).get("/admin/pickup/").status_code in (302, 403)
    page = signed_in(stand)
    assert page.get("/admin/pickup/").status_code == 200
    response = page.post("/admin/pickup/", {"code": paid.pickup.code})
    assert response.status_code == 200
    assert b"Hand over" in response.content and b"Large salted popcorn" in response.content
    assert b"Already collected" in page.post("/admin/pickup/", {"code": paid.pickup.code}).content
