"""A 409 (a seat someone else took first) is an answer the client handles, not a problem: it is
not logged as a warning (the access log has it); other refusals still are."""

import logging

import pytest

from tests.fixtures.checkout import signed_in

pytestmark = pytest.mark.django_db


def test_a_seat_conflict_is_not_logged_but_a_bad_request_is(alice, bob, show, caplog):
    signed_in(bob).post(f"/api/shows/{show.pk}/holds", {"seats": ["A1"]}, content_type="application/json")
    browser = signed_in(alice)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        taken = browser.post(f"/api/shows/{show.pk}/holds", {"seats": ["A1"]}, content_type="application/json")
        unknown = browser.post(f"/api/shows/{show.pk}/holds", {"seats": ["Z99"]}, content_type="application/json")
    assert taken.status_code == 409 and unknown.status_code == 400
    logged = [record.status_code for record in caplog.records if record.name == "django.request"]
    assert logged == [400]
