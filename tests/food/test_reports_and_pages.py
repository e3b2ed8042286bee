"""Food and drinks where staff and customers read them: the food report (by item, theater and
day, attach rate, stock left), today's food sales on the dashboard, the booking page's menu,
the confirmation e-mail and the PDF with the pickup code."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cinema.models import TheaterConcession
from home.roles import FINANCE
from tests.factories import make_concession, make_user, set_stock
from tests.fixtures.checkout import committed, fund
from ticketing.reports.food import food_rows, food_totals
from ticketing.reports.queries import Period, sales_totals
from ticketing.services.booking_items import set_items
from ticketing.services.checkout import start_checkout
from ticketing.services.ticket_pdf import render_html


@pytest.fixture
def paid(alice, held, popcorn, cola):
    fund(alice, "5000")
    with committed():
        return start_checkout(set_items(held, [("POP-L", 2), ("COLA", 1)]), use_wallet=True).booking


@pytest.fixture
def finance(db):
    user = make_user(username="fin", email="fin@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=FINANCE))
    return user


def test_food_sales_by_item_and_the_attach_rate(paid):
    rows = {row["sku_code"]: row for row in food_rows(Period(), "item")}
    assert rows["POP-L"]["quantity"] == 2 and rows["POP-L"]["amount"] == Decimal("600.00")
    assert rows["COLA"]["quantity"] == 1
    totals = food_totals(Period())
    assert totals == {"quantity": 3, "amount": Decimal("720.00"), "tickets": 2, "attach_rate": Decimal("1.50")}


def test_food_sales_by_theater_and_by_day(paid, theater):
    (by_theater,) = food_rows(Period(), "theater")
    assert (by_theater["theater_title"], by_theater["quantity"], by_theater["amount"]) == (theater.title, 3, Decimal("720.00"))
    (by_day,) = food_rows(Period(), "day")
    assert by_day["day"] == timezone.localdate(paid.confirmed_at) and by_day["quantity"] == 3


def test_the_sales_report_keeps_food_out_of_its_gst(paid):
    totals = sales_totals(Period())
    assert totals["food"] == Decimal("720.00")
    assert totals["gst"] == Decimal("72.00") + Decimal("10.80") + Decimal("36.00")


@pytest.mark.parametrize("group", ["item", "theater", "day"])
def test_the_food_report_page(client, finance, paid, theater, popcorn, group):
    set_stock(theater, popcorn, 7)
    client.force_login(finance)
    response = client.get(reverse("reports:food"), {"group": group})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Attach rate" in html and f"POP-L at {theater.title}: 7" in html


def test_the_dashboard_shows_todays_food_sales(client, finance, paid):
    client.force_login(finance)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Food and drinks" in html and "₹720.00" in html


def test_the_held_booking_page_offers_the_menu(as_alice, held, popcorn):
    html = as_alice.get(f"/bookings/{held.reference}/").content.decode()
    assert "Add food and drinks" in html and 'data-sku="POP-L"' in html and "diet--veg" in html


def test_the_menu_shows_the_theaters_price_the_marks_allergens_and_sold_out(as_alice, held, theater):
    puff = make_concession(
        sku="PUFF", name="Chicken puff", price="90.00", category="snacks", diet="non_veg", allergens="gluten, egg"
    )
    nachos = make_concession(sku="NACHO", name="Nachos", price="180.00", category="snacks", allergens="milk")
    TheaterConcession.objects.create(item=puff, theater=theater, price=Decimal("99.00"))
    set_stock(theater, nachos, 0)
    html = as_alice.get(f"/bookings/{held.reference}/").content.decode()
    assert "₹99.00" in html and "₹90.00" not in html  # the theater's own price
    assert 'aria-label="Non-vegetarian"' in html and "Contains: gluten, egg" in html and "Contains: milk" in html
    assert "Sold out" in html and 'data-sku="NACHO"' not in html and 'data-sku="PUFF"' in html


def test_the_confirmation_and_the_pdf_carry_the_pickup_code(as_alice, paid):
    code = paid.pickup.code
    (message,) = [m for m in mail.outbox if "confirmed" in m.subject.lower()]
    assert code in message.body and "2 × Large salted popcorn" in message.body
    html = render_html(paid)
    assert f'data-pickup="{code}"' in html and "Cola 500 ml" in html
    stub = html[html.index(f'data-pickup="{code}"') :]
    assert stub.index("<svg") < stub.index(f'<div class="code">{code}</div>')  # the code's QR beside it
    assert stub.index("Cola 500 ml") < stub.index("<svg")  # the items to hand over on the same stub
    assert code in as_alice.get(f"/bookings/{paid.reference}/").content.decode()
