"""Gift cards, cancelling seats, age ratings, showtime filters and the phone seat map speak
Hindi too: their pages, refusals and script words come from the catalog, and English stays as
it was for everyone else."""

import json

import pytest
from django.test import Client

from tests.factories import make_movie, make_show
from tests.fixtures.checkout import signed_in
from tests.tickets.conftest import confirm

pytestmark = pytest.mark.django_db
HINDI = {"HTTP_ACCEPT_LANGUAGE": "hi"}
JSON = "application/json"


def test_the_gift_card_page_in_hindi(alice):
    body = signed_in(alice, **HINDI).get("/gift-cards/").content.decode()
    assert 'lang="hi"' in body and '<h1 class="auth__title">गिफ़्ट कार्ड दें</h1>' in body
    assert "राशि (₹)" in body and "पाने वाले का ई-मेल पता" in body
    assert "Give a gift card" not in body and "Recipient’s e-mail address" not in body


def test_a_wrong_gift_card_code_is_refused_in_hindi(alice):
    body = {"code": "ABCD-EFGH-JKLM-NPQR"}
    hindi = signed_in(alice, **HINDI).post("/api/gift-cards/redeem", body, content_type=JSON)
    assert hindi.status_code == 404
    assert hindi.json()["detail"] == "यह गिफ़्ट कार्ड कोड मान्य नहीं है। इसे जाँचकर फिर से कोशिश करें।"
    english = signed_in(alice).post("/api/gift-cards/redeem", body, content_type=JSON)
    assert english.json()["detail"] == "That gift card code is not valid. Check it and try again."


def test_a_gift_card_amount_out_of_bounds_is_refused_in_hindi(alice):
    response = signed_in(alice, **HINDI).post(
        "/api/gift-cards", {"amount": 7, "recipient_email": "ravi@example.com"}, content_type=JSON
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("गिफ़्ट कार्ड ₹") and detail.endswith("के बीच का हो सकता है।")


def test_the_cancellation_preview_and_its_refusal_in_hindi(alice, as_alice, show):
    booked = confirm(as_alice, alice, show, ["A1", "A2"])
    browser = signed_in(alice, **HINDI)
    url = f"/api/bookings/{booked.reference}/cancellation"
    preview = browser.get(url + "?seats=A2&to=wallet").json()
    assert preview["summary"] == f"A2 रद्द करने पर आपके Marquee वॉलेट में ₹{preview['refund']} का रिफ़ंड मिलेगा।"
    assert signed_in(alice).get(url + "?seats=A2&to=wallet").json()["summary"] == (
        f"Cancelling A2 refunds ₹{preview['refund']} to your Marquee wallet."
    )
    refused = browser.get(url + "?seats=Z9")
    assert refused.status_code == 400 and refused.json()["detail"] == "Z9 इस बुकिंग में नहीं है।"
    page = browser.get(f"/bookings/{booked.reference}/").content.decode()
    assert "सीटें रद्द करें" in page and "रद्द करने वाली सीटें" in page and "Seats to cancel" not in page
    assert '<span class="visually-hidden">टिकट कोड </span>' in page


def test_an_a_film_hold_without_the_confirmation_is_refused_in_hindi(alice):
    show = make_show(movie=make_movie(title="Night Shift", slug="night-shift", certification="A"))
    hold = json.dumps({"seats": ["A1"]})
    response = signed_in(alice, **HINDI).post(f"/api/shows/{show.pk}/holds", hold, content_type=JSON)
    assert response.status_code == 400 and response.json()["code"] == "age_confirmation_required"
    assert response.json()["detail"] == (
        "“Night Shift” को A रेटिंग (केवल वयस्कों के लिए) मिली है: सीटें होल्ड करने के लिए पुष्टि करें कि आपकी उम्र"
        ' 18 साल या उससे ज़्यादा है। ग्राहक की पुष्टि के बाद होल्ड के साथ "age_confirmed": true भेजें।'
    )
    page = Client().get(show.url, **HINDI).content.decode()
    assert "<strong>A रेटिंग: केवल वयस्कों के लिए।</strong>" in page and "Rated A: adults only." not in page


def test_the_showtime_filters_in_hindi():
    movie = make_movie(title="Monsoon Express", slug="monsoon-express")
    make_show(movie=movie, captions=True)
    page = Client().get(movie.url + "?accessibility=cc", **HINDI).content.decode()
    assert 'aria-label="शो के समय छाँटें"' in page
    assert "<span>भाषा</span>" in page and "<span>सुलभता</span>" in page and '<option value="">कोई भी समय</option>' in page
    assert '<option value="cc" selected>कैप्शन (CC)</option>' in page and "सुबह (सुबह 6 – दोपहर 12 बजे)" in page
    assert "फ़िल्टर हटाएँ" in page and "Filter showtimes" not in page and "Clear filters" not in page
    english = Client().get(movie.url + "?accessibility=cc").content.decode()
    assert 'aria-label="Filter showtimes"' in english and "<span>Language</span>" in english


def test_the_phone_seat_map_and_cancel_form_words_are_in_the_javascript_catalog():
    catalog = Client().get("/jsi18n/hi/").content.decode()
    for hindi in ("ज़ूम इन", "पूरा सीट मैप दिखाएँ", "अभी कोई सीट नहीं", "रद्द करने वाली सीटें चुनें।"):
        assert json.dumps(hindi)[1:-1] in catalog or hindi in catalog
