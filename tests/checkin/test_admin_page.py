"""The check-in page in the Wagtail admin: for the Box office group only, a select of
today's and tomorrow's shows, the camera button left to checkin.js, and a plain form POST
that works without JavaScript through the same service."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.checkin.conftest import signed_in
from tests.factories import local_dt, make_show
from ticketing.models import Booking, BookingState, Ticket

pytestmark = pytest.mark.django_db

URL = "/admin/checkin/"


def test_url():
    assert reverse("ticketing_checkin") == URL


def test_box_office_sees_the_page_and_its_menu_item(doorman, show):
    response = signed_in(doorman).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-api-url="/api/checkin"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "js/checkin.js" in html and "css/checkin.css" in html
    assert "data-checkin-camera hidden" in html  # shown by checkin.js only where the camera can scan
    assert 'id="checkin-headlines"' in html
    assert "Sat 21 Nov 2026, 6:00 pm · Dune ·" in html  # tomorrow's show is in the select
    assert "//" not in "".join(part for part in html.split('src="')[1:] if part.startswith("http"))  # no CDN
    home = signed_in(doorman).get("/admin/").content.decode()
    assert URL in home and "Check-in" in home


@pytest.mark.parametrize("who", ["editor", "alice"])
def test_others_are_refused(request, who):
    user = request.getfixturevalue(who)
    response = signed_in(user).get(URL)
    if who == "editor":  # admin access but not the permission: the admin's 403 page
        assert response.status_code == 403
        assert "You do not have permission to use this page" in response.content.decode()
        assert URL not in signed_in(user).get("/admin/").content.decode()
    else:  # no admin access at all: Wagtail sends them to its login
        assert response.status_code == 302


def test_editor_cannot_post_the_form(editor, ticket):
    response = signed_in(editor).post(URL, {"code": ticket.code})
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).used_at is None


def test_the_show_select_lists_today_and_tomorrow_only(doorman, movie, show):
    today = make_show(movie=movie, starts_at=local_dt(2026, 11, 20, 9, 0), screen=show.screen)  # already running
    later = make_show(movie=movie, starts_at=local_dt(2026, 11, 22, 18, 0), screen=show.screen)
    yesterday = make_show(movie=movie, starts_at=local_dt(2026, 11, 19, 21, 0), screen=show.screen)
    form = signed_in(doorman).get(URL).context["form"]
    assert [s.pk for s in form.fields["show"].queryset] == [today.pk, show.pk]
    assert later.pk != yesterday.pk


def test_show_preselected_from_the_query_string(doorman, show):
    response = signed_in(doorman).get(f"{URL}?show={show.pk}")
    assert f'<option value="{show.pk}" selected>' in response.content.decode()
    assert signed_in(doorman).get(f"{URL}?show=x{'9' * 40}").status_code == 200


# --- the no-JavaScript form ---------------------------------------------------------------------


def test_form_post_admits_and_renders_the_result(doorman, ticket):
    client = signed_in(doorman, enforce_csrf_checks=True)
    token = client.get(URL).cookies["csrftoken"].value
    response = client.post(URL, {"code": ticket.code.lower(), "show": ticket.show_id, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    html = response.content.decode()
    assert "checkin-result--admitted" in html
    assert "Seat A1" in html and ticket.booking.reference in html and "Alice" in html
    assert "Sat 21 Nov 2026, 6:00 pm" in html
    assert f'<option value="{ticket.show_id}" selected>' in html  # the door keeps its show
    assert f'value="{ticket.code.lower()}"' not in html  # a fresh code field for the next ticket
    assert Ticket.objects.get(pk=ticket.pk).used_by == doorman

    again = client.post(URL, {"code": ticket.code, "csrfmiddlewaretoken": token}).content.decode()
    assert "checkin-result--already_used" in again and "Already used at 10:00 am" in again


def test_form_post_needs_the_csrf_token(doorman, ticket):
    response = signed_in(doorman, enforce_csrf_checks=True).post(URL, {"code": ticket.code})
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).used_at is None


def test_form_post_refusals(doorman, ticket, movie):
    client = signed_in(doorman)
    other = make_show(movie=movie, starts_at=ticket.show.starts_at + timedelta(hours=4), screen=ticket.show.screen)
    html = client.post(URL, {"code": ticket.code, "show": other.pk}).content.decode()
    assert "checkin-result--wrong_show" in html and "Wrong show" in html
    Booking.objects.filter(pk=ticket.booking_id).update(state=BookingState.CANCELLED)
    assert "checkin-result--cancelled" in client.post(URL, {"code": ticket.code}).content.decode()
    html = client.post(URL, {"code": "nope"}).content.decode()
    assert "checkin-result--invalid" in html and "No ticket with this code" in html


def test_form_post_rate_limited(doorman, ticket, settings):
    settings.MARQUEE_CHECKIN_INVALID_RATE = 2
    client = signed_in(doorman)
    for _ in range(2):
        client.post(URL, {"code": "nope"})
    response = client.post(URL, {"code": ticket.code})
    assert response.status_code == 429
    assert "Too many unknown ticket codes" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).used_at is None


@pytest.mark.parametrize(
    "data",
    [{}, {"code": ""}, {"code": "A" * 5000}, {"code": "ABC", "show": "abc"}, {"code": "ABC", "show": "99999999999999999999"}],
)
def test_form_post_bad_input_is_a_form_error(doorman, db, data):
    response = signed_in(doorman).post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "checkin-result--" not in response.content.decode()
