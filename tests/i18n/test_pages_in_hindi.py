"""The pages that are not cached for everyone, rendered in Hindi: sign-in (allauth's own form
labels included), the booking page with its quote, and the error pages."""

import pytest
from django.test import Client

from tests.fixtures.checkout import signed_in

pytestmark = pytest.mark.django_db
HINDI = {"HTTP_ACCEPT_LANGUAGE": "hi"}


def test_the_sign_in_page_in_hindi():
    body = Client().get("/accounts/login/", **HINDI).content.decode()
    assert 'lang="hi"' in body and "साइन इन करें" in body
    assert "पासवर्ड" in body and "मुझे याद रखें" in body  # allauth's labels, from our catalog
    assert "Forgot your password?" not in body


def test_a_wrong_password_is_refused_in_hindi(alice):
    response = Client().post("/accounts/login/", {"login": alice.email, "password": "wrong"}, **HINDI)
    assert "आपका दिया ई-मेल पता और/या पासवर्ड सही नहीं है।" in response.content.decode()


def test_the_booking_page_in_hindi(alice, held):
    browser = signed_in(alice, HTTP_ACCEPT_LANGUAGE="hi")
    body = browser.get(f"/bookings/{held.reference}/").content.decode()
    assert 'lang="hi"' in body and "भुगतान के लिए आगे बढ़ें" in body and "सुविधा शुल्क" in body
    assert f"बुकिंग <strong>{held.reference}</strong>" in body and "A1" in body
    assert "Proceed to pay" not in body


def test_the_404_page_in_hindi():
    response = Client().get("/no-such-page/", **HINDI)
    assert response.status_code == 404
    assert "यह शो यहाँ नहीं चल रहा" in response.content.decode()
