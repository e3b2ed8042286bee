"""The customer site in English and Hindi (locale/, home/language_switch.py): Accept-Language
and the switcher's cookie choose the language, <html lang> follows it, and the cached public
pages keep one copy per language that never mixes with the other, each a hit at 0 queries."""

import json
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.versions import show_versions
from home import listing_cache, page_cache
from messaging.models import LanguagePreference
from tests.factories import home_page
from tests.fixtures.checkout import signed_in

HINDI = {"HTTP_ACCEPT_LANGUAGE": "hi"}
COOKIE = settings.LANGUAGE_COOKIE_NAME


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response


def in_hindi(body: str) -> bool:
    return 'lang="hi"' in body and "टिकट बुक करें" in body and "Book tickets" not in body


def in_english(body: str) -> bool:
    return 'lang="en-IN"' in body and "Book tickets" in body and "टिकट बुक करें" not in body


@pytest.mark.django_db
def test_accept_language_hi_gets_the_home_page_in_hindi(show):
    response = get(Client(), "/", **HINDI)
    body = response.content.decode()
    assert in_hindi(body)
    assert "अभी चल रही हैं" in body and "साइन इन करें" in body  # "Now showing", the header's "Sign in"
    assert response["Content-Language"] == "hi"
    assert "/jsi18n/hi/" in body  # the JavaScript's words come in Hindi too


@pytest.mark.django_db
def test_english_is_the_default_and_an_unknown_language_gets_english(show):
    assert in_english(get(Client(), "/").content.decode())
    assert in_english(get(Client(), "/", HTTP_ACCEPT_LANGUAGE="ta, fr;q=0.8").content.decode())


@pytest.mark.django_db
def test_the_switcher_sets_and_remembers_the_language(show):
    browser = Client()
    response = browser.post("/language/", {"language": "hi", "next": show.url})  # no CSRF token: the cached header has none
    assert response.status_code == 302 and response["Location"] == show.url
    assert response.cookies[COOKIE].value == "hi"
    assert in_hindi(get(browser, "/").content.decode())
    assert 'aria-pressed="true">हिंदी' in get(browser, "/").content.decode()
    # The cookie beats the browser's Accept-Language, both ways.
    assert in_hindi(get(browser, "/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    browser.post("/language/", {"language": "en-in", "next": "/"})
    assert in_english(get(browser, "/", **HINDI).content.decode())


@pytest.mark.django_db
def test_a_language_the_site_does_not_offer_changes_nothing(show):
    browser = Client()
    response = browser.post("/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 302 and COOKIE not in response.cookies
    assert browser.get("/language/").status_code == 405


@pytest.mark.django_db
def test_a_customers_choice_is_kept_on_the_account_and_comes_back_at_sign_in(show, alice):
    signed_in(alice).post("/language/", {"language": "hi", "next": "/account/"})
    assert LanguagePreference.objects.get(user=alice).language == "hi"
    elsewhere = Client()  # another device, no cookie yet
    response = elsewhere.post("/accounts/login/", {"login": alice.email, "password": "pass"})
    assert response.status_code == 302, response.content
    assert response.cookies[COOKIE].value == "hi"
    account = get(elsewhere, "/account/").content.decode()
    assert 'lang="hi"' in account and "आपकी बुकिंग" in account and 'id="language-title"' in account


@pytest.mark.django_db
def test_english_and_hindi_copies_of_the_home_page_are_cached_apart(show):
    english, hindi = Client(), Client(HTTP_ACCEPT_LANGUAGE="hi")
    first_english = get(english, "/").content
    first_hindi = get(hindi, "/").content
    assert in_english(first_english.decode()) and in_hindi(first_hindi.decode())
    for browser, first in ((english, first_english), (hindi, first_hindi), (english, first_english)):
        with CaptureQueriesContext(connection) as queries:
            again = get(browser, "/")
        assert len(queries) == 0
        assert again.content == first
        assert "Accept-Language" in again["Vary"] and "Cookie" not in again["Vary"]
    query = listing_cache.query_part(get(english, "/").wsgi_request)
    content = show_versions(show.pk)[0]
    home = home_page()
    assert cache.get(listing_cache.page_key(home.pk, content, query, "en-in"))["body"] == first_english
    assert cache.get(listing_cache.page_key(home.pk, content, query, "hi"))["body"] == first_hindi


@pytest.mark.django_db
def test_the_cookie_choice_is_honoured_by_a_cached_page(show):
    get(Client(), "/")  # English is in the cache
    browser = Client()
    browser.cookies[COOKIE] = "hi"
    assert in_hindi(get(browser, "/").content.decode())


@pytest.mark.django_db
def test_the_show_page_and_its_seat_map_are_cached_per_language(show):
    english, hindi = Client(), Client(HTTP_ACCEPT_LANGUAGE="hi")
    english_body = get(english, show.url).content.decode()
    hindi_body = get(hindi, show.url).content.decode()
    assert 'aria-label="Seat A1, ' in english_body and "Screen this way" in english_body
    assert 'aria-label="सीट A1, ' in hindi_body and "स्क्रीन इस तरफ़" in hindi_body
    assert 'aria-label="पंक्ति A"' in hindi_body and "सीटें होल्ड करें" in hindi_body
    assert "Screen this way" not in hindi_body and 'lang="hi"' in hindi_body
    for browser, body in ((hindi, hindi_body), (english, english_body)):
        with CaptureQueriesContext(connection) as queries:
            again = get(browser, show.url)
        assert len(queries) == 0 and again.content.decode() == body
    versions = show_versions(show.pk)
    assert cache.get(page_cache.page_key(show.pk, *versions, "hi"))["body"].decode() == hindi_body
    assert cache.get(page_cache.page_key(show.pk, *versions, "en-in"))["body"].decode() == english_body


@pytest.mark.django_db
def test_the_javascript_catalog_is_served_locally_per_language():
    hindi = Client().get("/jsi18n/hi/")
    assert hindi.status_code == 200 and "javascript" in hindi["Content-Type"]
    text = hindi.content.decode()
    for english, words in (("Hold seats", "सीटें होल्ड करें"), ("Your account", "आपका खाता")):  # seatmap.js, session.js
        assert f"{json.dumps(english)}: {json.dumps(words)}" in text
    assert "public" in hindi["Cache-Control"]
    assert json.dumps("सीटें होल्ड करें") not in Client().get("/jsi18n/en-in/").content.decode()
    assert Client().get("/jsi18n/xx/").status_code == 404


@pytest.mark.django_db
def test_the_switcher_marks_the_language_served_and_offers_the_other(show):
    """The pressed button is the page's language (English is "en-in", not Django's "en"), so a
    phone's header, which shows only the other language, always has one button to press."""

    def buttons(body: str) -> dict[str, str]:
        return dict(re.findall(r'name="language" value="([^"]+)" lang="[^"]+" aria-pressed="(true|false)"', body))

    english = buttons(get(Client(), "/").content.decode())
    hindi = buttons(get(Client(), "/", **HINDI).content.decode())
    assert english == {settings.LANGUAGE_CODE: "true", "hi": "false"}
    assert hindi == {settings.LANGUAGE_CODE: "false", "hi": "true"}
    switched = Client().post("/language/", {"language": settings.LANGUAGE_CODE, "next": "/"})
    assert switched.status_code == 302 and switched.cookies[COOKIE].value == settings.LANGUAGE_CODE
