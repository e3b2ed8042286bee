"""The account pages wear the site's look: our layout, labelled fields, header links, no CDN."""

import re

import pytest
from django.urls import reverse

from tests.accounts.helpers import PASSWORD

pytestmark = pytest.mark.django_db

ENTRANCE = ["account_login", "account_signup", "account_reset_password"]


@pytest.mark.parametrize("name", ENTRANCE)
def test_entrance_pages_use_the_site_layout_with_labelled_fields(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="page-auth page-auth--entrance"' in html and "css/marquee.css" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert html.count("<h1") == 1
    for field_id in re.findall(r'<input[^>]+type="(?:email|password|text)"[^>]*id="([^"]+)"', html):
        assert f'<label class="field__label" for="{field_id}">' in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # nothing from a CDN


def test_login_page_links_to_sign_up_and_reset(client):
    html = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") in html and reverse("account_reset_password") in html
    assert 'autocomplete="email"' in html and 'autocomplete="current-password"' in html


def test_header_offers_sign_in_to_visitors(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("account_login")}?next=/"' in html
    assert "Sign out" not in html


def test_header_offers_account_and_a_sign_out_form_to_customers(client, customer):
    """On pages rendered for the customer; the cached public pages get it from session.js."""
    client.force_login(customer)
    html = client.get(reverse("account_email")).content.decode()
    assert f'href="{reverse("customer_account")}"' in html and "Your account" in html
    assert re.search(
        rf'<form class="site-account__form" method="post" action="{reverse("account_logout")}">\s*<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )


def test_pages_without_our_own_template_still_get_our_layout(client, customer):
    """allauth's own templates (here: confirm your password) render through our layout and elements."""
    client.force_login(customer)
    html = client.get(reverse("account_reauthenticate")).content.decode()
    assert 'class="page-auth page-auth--' in html and 'class="site-header"' in html
    assert '<form class="form"' in html and 'class="btn btn--primary"' in html
    assert '<label class="field__label" for="id_password">' in html


def test_change_password(client, customer):
    client.force_login(customer)
    html = client.get(reverse("account_change_password")).content.decode()
    assert 'class="page-auth page-auth--manage"' in html and '<label class="field__label" for="id_oldpassword">' in html
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "another-long-password-3", "password2": "another-long-password-3"},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("another-long-password-3")


def test_e_mail_addresses_page(client, customer):
    client.force_login(customer)
    html = client.get(reverse("account_email")).content.decode()
    assert customer.email in html and "badge--ok" in html and "Add an e-mail address" in html
