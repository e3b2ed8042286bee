"""An A-rated film in a real browser: Hold is refused until the customer ticks "I am 18 or
older", then the hold carries who confirmed and when. Screenshots:
artifacts/e2e/age-rating--<nn>-<step>.png."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import make_customer, open_show, seat, signed_in_page, tomorrow_at  # noqa: E402
from tests.factories import make_movie, make_show  # noqa: E402
from ticketing.models import Booking, BookingState  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_a_rated_show_is_held_only_after_the_customer_confirms_18_or_older(live_server, browser, shots):
    shot = shots("age-rating")
    show = make_show(movie=make_movie(title="Night Shift", slug="night-shift", certification="A"), starts_at=tomorrow_at(22))
    customer = make_customer("kabir")
    page = signed_in_page(browser, live_server, customer)
    open_show(page, live_server, show)
    expect(page.locator("[data-rating-notice]")).to_contain_text("Rated A: adults only.")

    seat(page, "B5").click()
    page.locator("[data-hold-button]").click()
    expect(page.locator("[data-alert]")).to_contain_text("rated A (adults only)")
    expect(page.get_by_label("I am 18 or older.")).to_be_focused()
    assert not Booking.objects.exists()
    shot(page, "asked to confirm")

    page.get_by_label("I am 18 or older.").check()
    page.locator("[data-hold-button]").click()
    expect(page.locator("[data-hold]")).to_be_visible()
    booking = Booking.objects.get(user=customer, show=show, state=BookingState.HELD)
    assert booking.seats == ["B5"]
    assert booking.age_confirmed_by == customer and booking.age_confirmed_at is not None
    shot(page, "held after confirming")
    assert page.js_errors == []
