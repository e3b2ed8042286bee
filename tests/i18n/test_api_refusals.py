"""API refusals speak the request's language (Accept-Language or the switcher's cookie), with
the same English as before for everyone else."""

import json

import pytest

from tests.fixtures.checkout import signed_in
from ticketing.services.holds import hold_seats

pytestmark = pytest.mark.django_db


def post_hold(client, show, seats, **headers):
    return client.post(f"/api/shows/{show.pk}/holds", json.dumps({"seats": seats}), content_type="application/json", **headers)


def test_a_refused_hold_is_explained_in_hindi(alice, show):
    response = post_hold(signed_in(alice), show, ["Z99"], HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 400
    assert response.json()["detail"] == "इस शो में Z99 नाम की कोई सीट नहीं है।"
    english = post_hold(signed_in(alice), show, ["Z99"])
    assert english.json()["detail"] == "There is no seat Z99 at this show."


def test_taken_seats_in_hindi_use_the_plural(alice, bob, show):
    hold_seats(bob, show, ["A1", "A2"])
    browser = signed_in(alice)
    browser.cookies["django_language"] = "hi"
    one = post_hold(browser, show, ["A1"])
    assert one.status_code == 409
    assert one.json()["detail"] == "माफ़ कीजिए, A1 अभी-अभी किसी और ने ले ली। दूसरी सीटें चुनें।"
    two = post_hold(browser, show, ["A1", "A2"])
    assert two.json()["detail"] == "माफ़ कीजिए, A1, A2 अभी-अभी किसी और ने ले लीं। दूसरी सीटें चुनें।"
    assert two.json()["code"] == "seats_taken" and two.json()["unavailable"] == ["A1", "A2"]


def test_the_taken_seats_refusal_is_kept_apart_per_language(alice, bob, show):
    """The wording is looked up once per language and count (ticketing/errors.py); a Hindi
    refusal after an English one of the same count is still in Hindi, and back again."""
    hold_seats(bob, show, ["A1"])
    english = post_hold(signed_in(alice), show, ["A1"])
    hindi = post_hold(signed_in(alice), show, ["A1"], HTTP_ACCEPT_LANGUAGE="hi")
    again = post_hold(signed_in(alice), show, ["A1"])
    assert english.json()["detail"] == again.json()["detail"] == "Sorry, A1 was just taken. Pick other seats."
    assert hindi.json()["detail"] == "माफ़ कीजिए, A1 अभी-अभी किसी और ने ले ली। दूसरी सीटें चुनें।"
