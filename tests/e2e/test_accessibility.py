"""axe-core on the customer pages, in a real browser, in English and in Hindi.

A signed-in customer opens the home, movie and show pages, the booking page of a hold and of
a confirmed booking, and the account page, twice: once as an
English browser, once as a Hindi one (``Accept-Language: hi`` and the ``django_language``
cookie). On each page axe-core (tests/e2e/axe.py, served from the virtualenv) must find no
serious or critical violation, and ``<html lang>`` must name the language the server answered in
— whichever that is: a page served in English must not claim to be Hindi, nor the reverse.

Screenshots: ``artifacts/e2e/8-accessibility-<language>--<nn>-<page>.png``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("playwright")
pytest.importorskip("axe_playwright_python")
from django.conf import settings  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from messaging.phones import set_phone  # noqa: E402
from tests.e2e.axe import blocking_violations, describe, page_language, served_language  # noqa: E402
from tests.e2e.conftest import new_page, signed_in_page  # noqa: E402
from tests.factories import make_concession  # noqa: E402
from ticketing.models import BookingState  # noqa: E402
from ticketing.services.checkout import start_checkout  # noqa: E402
from ticketing.services.holds import hold_seats  # noqa: E402
from wallet import services as wallet  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BROWSERS = {
    "en": {"locale": "en-IN", "extra_http_headers": {"Accept-Language": "en-IN,en;q=0.9"}},
    "hi": {"locale": "hi-IN", "extra_http_headers": {"Accept-Language": "hi"}, "cookie": "hi"},
}


def customer_pages(live_server, show, held, confirmed) -> list[tuple[str, str, str]]:
    """(name, URL, a selector that is visible once the page has settled)."""
    return [
        ("home", live_server.url + "/", "main h1, main h2"),
        ("movie", live_server.url + show.movie.url, "#movie-title"),
        ("show", live_server.url + show.url, '.seat[data-label="A3"][aria-pressed="false"]'),
        ("booking", f"{live_server.url}/bookings/{held.reference}/", "[data-countdown]"),
        ("tickets", f"{live_server.url}/bookings/{confirmed.reference}/", ".ticket-list"),
        ("account", live_server.url + "/account/", "#mobile-title"),
    ]


def test_customer_pages_have_no_serious_accessibility_violations_in_english_and_hindi(
    live_server, browser, show, customer, shots
):
    make_concession(sku="POP-L", name="Large salted popcorn", price="260.00")
    set_phone(customer, "+919876543210", verified=True)  # the account page shows the channel choice
    wallet.credit(customer, Decimal("2000"), reason="Goodwill")  # a ledger row on the account page
    confirmed = hold_seats(customer, show, ["A1", "A2"]).booking
    confirmed = start_checkout(confirmed, use_wallet=True).booking  # a booking card and a tickets page
    assert confirmed.state == BookingState.CONFIRMED
    held = hold_seats(customer, show, ["B4", "B5"]).booking  # the booking page with its pay form
    found, wrong_language = [], []

    for language, options in BROWSERS.items():
        options = dict(options)
        cookie = options.pop("cookie", None)
        page = signed_in_page(browser, live_server, customer, **options)
        if cookie:
            page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        journey = shots(f"8-accessibility-{language}")
        for name, url, ready in customer_pages(live_server, show, held, confirmed):
            response = page.goto(url)
            expect(page.locator(ready).first).to_be_visible()
            assert response.ok, f"{name} ({language} browser): HTTP {response.status}"
            where = f"{name} page, {language} browser"
            declared, served = page_language(page), served_language(response)
            if declared != served:
                wrong_language.append(f"{where}: <html lang={declared!r}> but served in {served!r}")
            found += [describe(where, blocking_violations(page))]
            journey(page, name)
        assert page.js_errors == []
        page.context.close()

    found = [report for report in found if report]
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
    assert not wrong_language, "\n".join(wrong_language)


def test_the_check_names_each_serious_violation_with_its_nodes(browser):
    """The check can fail: a page with an unlabelled image and an unlabelled field is reported
    rule by rule (id, impact) with the nodes it was found on."""
    page = new_page(browser)
    page.set_content(
        '<html lang="en"><head><title>Test</title></head><body><main><img src="data:,"><input type="text" id="q"></main></body></html>'
    )
    found = blocking_violations(page)
    assert {violation["id"]: violation["impact"] for violation in found} == {"image-alt": "critical", "label": "critical"}
    report = describe("a test page", found)
    assert "a test page: image-alt (critical)" in report and "a test page: label (critical)" in report
    assert "    img: " in report and "    #q: " in report
