"""The Counter page in the Wagtail admin: Box office only, the whole flow as plain form posts
(keyboard, no JavaScript) through the same services, the printable tickets and Z-report."""

import pytest

from tests.counter.conftest import sell_cash, signed_in
from tests.factories import local_dt, make_show
from ticketing.models import CounterShift, ShiftState

pytestmark = pytest.mark.django_db

HOME = "/admin/counter/"


def test_box_office_sees_the_page_and_its_menu_item(as_seller):
    response = as_seller.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open your shift" in html and 'name="opening_float"' in html and "css/counter.css" in html
    assert HOME in as_seller.get("/admin/").content.decode()


@pytest.mark.parametrize("url", [HOME, "/admin/counter/shows/1/", "/admin/counter/sales/MQAAAAAAAA/tickets/"])
def test_customers_and_other_staff_are_refused(alice, url):
    assert signed_in(alice).get(url).status_code in (302, 403)  # customers have no admin access at all


def test_staff_without_the_permission_get_403(db):
    from tests.factories import make_user

    editor = make_user("wagtailadmin.access_admin", username="editor")
    assert signed_in(editor).get(HOME).status_code == 403


def test_the_whole_flow_by_form(as_seller, seller, movie, django_capture_on_commit_callbacks):
    show = make_show(movie=movie, starts_at=local_dt(2026, 11, 20, 19))  # tonight
    response = as_seller.post(HOME, {"action": "open", "counter": "Counter 1", "opening_float": "2000.00"})
    assert response.status_code == 302
    shift = CounterShift.objects.get(staff=seller, state=ShiftState.OPEN)
    home = as_seller.get(f"{HOME}?theater={show.screen.theater_id}").content.decode()
    assert "Dune" in home and f"/admin/counter/shows/{show.pk}/" in home

    sell_url = f"/admin/counter/shows/{show.pk}/"
    page = as_seller.get(sell_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-label="A1"' in html and "js/counter.js" in html

    best = as_seller.post(sell_url, {"action": "best", "category": "Classic", "count": "2"})
    assert best.status_code == 302 and best["Location"].endswith("?seats=A5,A6")
    priced = as_seller.get(best["Location"]).content.decode()
    assert "₹542.80" in priced
    change = as_seller.post(sell_url, {"action": "price", "seats": "A5 A6", "method": "cash", "tendered": "600"})
    assert change.status_code == 200 and "Change due" in change.content.decode() and "₹57.20" in change.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sold = as_seller.post(sell_url, {"action": "sell", "seats": "A5 A6", "method": "cash", "tendered": "1000"})
    assert sold.status_code == 302
    done = as_seller.get(sold["Location"]).content.decode()
    assert "Change due" in done and "₹457.20" in done

    reference = sold["Location"].rstrip("/").rsplit("/", 1)[-1]
    slip = as_seller.get(f"/admin/counter/sales/{reference}/tickets/")
    assert slip.status_code == 200 and slip.content.decode().count("<svg") >= 2 and "80mm" in slip.content.decode()

    refused = as_seller.post(sell_url, {"action": "sell", "seats": "A5", "method": "cash", "tendered": "1000"})
    assert refused.status_code == 400 and "just taken" in refused.content.decode()

    closed = as_seller.post(HOME, {"action": "close", "counted": "2542.80"})
    assert closed.status_code == 302 and closed["Location"] == f"/admin/counter/shifts/{shift.pk}/z-report/"
    report = as_seller.get(closed["Location"]).content.decode()
    assert "₹2,542.80" in report and "Variance" in report


def test_selling_without_a_shift_sends_you_to_open_one(as_seller, show):
    response = as_seller.get(f"/admin/counter/shows/{show.pk}/")
    assert response.status_code == 302 and response["Location"] == HOME


def test_pdf_ticket(as_seller, seller, shift, show):
    reference = sell_cash(seller, show).booking.reference
    response = as_seller.get(f"/admin/counter/sales/{reference}/tickets/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_another_sellers_sale_is_not_found(seller, shift, show, db):
    from django.contrib.auth.models import Group

    from home.roles import BOX_OFFICE
    from tests.factories import make_user

    reference = sell_cash(seller, show).booking.reference
    other = make_user(username="other", is_staff=True)
    other.groups.add(Group.objects.get(name=BOX_OFFICE))
    assert signed_in(other).get(f"/admin/counter/sales/{reference}/tickets/").status_code == 404


def test_supervisor_voids_from_the_sale_page(seller, shift, show, supervisor):
    reference = sell_cash(seller, show).booking.reference
    client = signed_in(supervisor)
    page = client.get(f"/admin/counter/sales/{reference}/").content.decode()
    assert "Void and refund" in page
    response = client.post(f"/admin/counter/sales/{reference}/void/", {"reason": "Wrong film"})
    assert response.status_code == 302
    assert "Voided" in client.get(f"/admin/counter/sales/{reference}/").content.decode()
    assert client.get(f"/admin/counter/shifts/{shift.pk}/z-report/").status_code == 200
