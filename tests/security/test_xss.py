"""Script in editor content or in a customer's name never runs: every page, admin listing and
e-mail that shows it escapes it."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import make_show
from wallet.services import get_wallet

pytestmark = pytest.mark.django_db
PAYLOAD = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


def assert_escaped(html: str):
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_editor_text_is_escaped_on_the_public_pages(client, movie):
    movie.title = "Dune " + PAYLOAD
    movie.tagline = PAYLOAD if hasattr(movie, "tagline") else ""
    movie.save_revision().publish()
    show = make_show(movie=movie)
    for url in (movie.url, show.url, "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode())


def test_customer_names_are_escaped_in_the_admin_and_in_mail(admin_user, alice, confirmed):
    from django.test import Client

    alice.first_name, alice.last_name = PAYLOAD, PAYLOAD
    alice.save()
    staff = Client()
    staff.force_login(admin_user)
    wallet = get_wallet(alice)
    for url in (
        reverse("bookings:index"),
        reverse("bookings:inspect", args=[confirmed.pk]),
        reverse("wallets:index"),
        reverse("wallets:ledger", args=[wallet.pk]),
    ):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert "<script>alert" not in response.content.decode(), url
    from tests.fixtures.checkout import committed
    from ticketing.mail.notifications import resend_tickets

    with committed():
        resend_tickets(confirmed)
    html = next(body for body, kind in mail.outbox[-1].alternatives if kind == "text/html")
    assert_escaped(html)
