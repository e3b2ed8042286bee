"""GET /api/session: what static/js/session.js paints on a page that is the same for everyone."""

import pytest
from django.test import Client

from tests.factories import make_user
from tests.fixtures.checkout import signed_in


@pytest.mark.django_db
def test_a_visitor_is_signed_out_and_gets_the_csrf_cookie(show):
    response = Client().get(f"/api/session?page={show.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "authenticated": False,
        "name": None,
        "account_url": "/account/",
        "login_url": "/accounts/login/",
        "logout_url": "/accounts/logout/",
        "staff_edit_url": None,
    }
    assert "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_customer_is_signed_in_without_an_edit_link(show, alice):
    data = signed_in(alice).get(f"/api/session?page={show.pk}").json()
    assert data["authenticated"] is True and data["name"] == "alice@example.com"
    assert data["staff_edit_url"] is None


@pytest.mark.django_db
def test_an_editor_gets_the_edit_link_of_the_page(show):
    editor = make_user(is_superuser=True, is_staff=True)
    data = signed_in(editor).get(f"/api/session?page={show.pk}").json()
    assert data["staff_edit_url"] == f"/admin/pages/{show.pk}/edit/"
    assert signed_in(editor).get("/api/session").json()["staff_edit_url"] is None


@pytest.mark.django_db
def test_bad_input_is_refused_with_a_422(client):
    assert client.get("/api/session?page=abc").status_code == 422
    assert client.get("/api/session?page=0").status_code == 422
