"""The box office's journeys in a real browser, end to end, with screenshots.

1. An editor logs into the Wagtail admin, creates a movie with a poster, schedules a week of
   shows on two screens with the scheduler, and the shows are live on the public movie page.
2. A new customer signs up with the e-mail code, picks seats by mouse and keyboard, applies a
   promo code, pays in the sandbox, sees the confirmation and downloads the PDF tickets; then
   cancels (refunded to the wallet by the default policy), finance adds a goodwill credit in the
   admin, and the customer books again paying with the wallet alone.
5. Two customers in two browsers race for one seat: the loser's seat map says it was taken.
6. A hold running out on the booking page tells the customer and frees the seats.
(test_seat_selection.py covers the seat map itself: keyboard, countdown, a hold expiring there.)

Background tasks run in a real django-q2 cluster, as in production: the live server's
``async_task`` calls (confirmation e-mail with the PDF, ticket rendering, refunds, the other
e-mails) put tasks in the broker and the request returns; the cluster runs them afterwards and
the journey waits for their effects with a deadline (``task_cluster`` in conftest.py; a
``manage.py qcluster`` process on PostgreSQL, django-q2's pusher → worker → monitor in a thread
on in-memory SQLite, see cluster.py). The sign-up code is sent by allauth inside the request,
so it is read from ``mail.outbox``; what the cluster sent is read back through
``task_cluster.email(key)``, which also checks that the sent-log row was marked sent and that
django-q2 saved the task's Success row under this cluster's name.

Screenshots: ``artifacts/e2e/<journey>--<nn>-<step>.png`` (full page), see conftest.py.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest

pytest.importorskip("playwright")
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import expect  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from wagtail.images.models import Image  # noqa: E402

from cinema.models import MoviePage, ShowPage  # noqa: E402
from home.roles import EDITORS, FINANCE  # noqa: E402
from home.templatetags.marquee import inr  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    TIMEOUT_MS,
    confirm_email_code,
    hold_and_continue,
    make_customer,
    new_page,
    open_show,
    seat,
    signed_in_page,
)
from tests.factories import make_language, make_promo, make_theater, movie_index  # noqa: E402
from ticketing.models import Booking, BookingState, SentEmail, ShowSeat, Ticket  # noqa: E402
from ticketing.services.pricing import quote  # noqa: E402
from wallet.models import Wallet  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STAFF_PASSWORD = "box-office-staff-42"
CUSTOMER_PASSWORD = "popcorn-and-a-film-42"


def make_staff(username: str, group: str):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@marquee.example", password=STAFF_PASSWORD, first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def admin_login(page, live_server, user):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label(re.compile("username|e-?mail", re.I)).first.fill(user.get_username())
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.locator("main, #main").first).to_be_visible()
    page.wait_for_url(live_server.url + "/admin/")


def poster_image(title: str) -> Image:
    """A 2:3 poster drawn with Pillow, stored as a Wagtail image."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    picture = PILImage.new("RGB", (400, 600), (38, 24, 14))
    draw = ImageDraw.Draw(picture)
    for y in range(600):
        draw.line([(0, y), (400, y)], fill=(200 - y // 4, 120 - y // 6, 40))
    draw.ellipse((120, 120, 280, 280), fill=(250, 220, 150))
    draw.rectangle((0, 470, 400, 600), fill=(20, 14, 10))
    draw.text((30, 500), title.upper(), fill=(250, 220, 150))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    buffer.seek(0)
    return Image.objects.create(title=f"{title} poster", file=ImageFile(buffer, name=f"{title.lower()}-poster.png"))


# --- 1. the editor -----------------------------------------------------------------------------


def test_editor_creates_a_movie_with_a_poster_and_schedules_a_week_on_two_screens(live_server, browser, shots):
    shots = shots("1-editor")
    make_language("Hindi")
    make_language("English")
    index = movie_index()
    theater = make_theater(title="Marquee Bandra", slug="marquee-bandra", screens=[{"name": "Audi 1"}, {"name": "Audi 2"}])
    poster_image("Dune")
    editor = make_staff("meera", EDITORS)

    page = new_page(browser)
    admin_login(page, live_server, editor)
    shots(page, "admin-dashboard")

    # A new movie under the movie index, with its poster chosen in the image chooser.
    page.goto(f"{live_server.url}/admin/pages/add/cinema/moviepage/{index.pk}/")
    page.locator("#id_title").fill("Dune: Part Two")
    page.locator("#id_tagline").fill("Long live the fighters.")
    page.locator("#id_runtime_minutes").fill("166")
    page.get_by_role("button", name="Choose an image").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name="Dune poster").or_(modal.get_by_text("Dune poster")).first.click()
    expect(page.locator("[data-chooser-title]:visible, .chooser__title:visible").first).to_have_text("Dune poster")
    page.locator('label:has-text("English") input[type=checkbox]').first.check()
    shots(page, "movie-editor")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("published")
    movie = MoviePage.objects.get(title="Dune: Part Two")
    assert movie.live and movie.poster.title == "Dune poster"
    shots(page, "movie-published")

    # A week of shows on both screens, from tomorrow, published at once.
    page.goto(f"{live_server.url}/admin/scheduler/?movie={movie.pk}")
    first_day = timezone.localdate() + timedelta(days=1)
    last_day = first_day + timedelta(days=6)
    form = page.locator("form").filter(has=page.locator("#id_times"))
    expect(page.locator("#id_movie")).to_have_value(str(movie.pk))
    for screen in theater.screens.all():
        form.locator(f'input[name="screens"][value="{screen.pk}"]').check()
    page.locator("#id_first_day").fill(first_day.isoformat())
    page.locator("#id_last_day").fill(last_day.isoformat())
    page.locator("#id_times").fill("14:00, 19:30")
    page.locator("#id_language").select_option(label="English")
    page.get_by_label("Price — Prime (₹)").fill("420")
    page.get_by_label("Price — Classic (₹)").fill("260")
    shots(page, "scheduler-filled")
    page.get_by_role("button", name="Create shows").click()
    expect(page.locator(".messages")).to_contain_text("28 shows published; 0 already existed; 0 refused.")
    shots(page, "scheduler-result")

    shows = ShowPage.objects.filter(movie=movie)
    assert shows.count() == 28  # 7 days × 2 times × 2 screens
    assert all(show.live for show in shows)
    assert {show.screen.name for show in shows} == {"Audi 1", "Audi 2"}
    local_days = {timezone.localtime(show.starts_at).date() for show in shows}
    assert local_days == {first_day + timedelta(days=n) for n in range(7)}
    assert page.js_errors == []

    # The public page lists them, with the poster.
    public = new_page(browser)
    public.goto(live_server.url + movie.url)
    expect(public.locator("#movie-title")).to_have_text("Dune: Part Two")
    expect(public.locator(".movie-hero__poster img")).to_be_visible()
    assert public.locator(".movie-hero__poster img").evaluate("img => img.naturalWidth") > 0
    showtimes = public.locator("#showtimes")
    expect(showtimes).to_contain_text("Marquee Bandra")
    expect(showtimes.locator(".day").first).to_contain_text("2:00 pm")
    expect(showtimes.locator(".day").first).to_contain_text("7:30 pm")
    expect(showtimes.locator(".day")).to_have_count(7)
    shots(public, "public-movie-page")
    first = shows.order_by("starts_at", "screen__name").first()
    public.goto(live_server.url + first.url)
    expect(public.locator("[data-seat-picker]")).to_be_visible()
    shots(public, "public-show-page")
    assert public.js_errors == []


# --- 2 and 3. the customer: sign up, book, pay, tickets; cancel, wallet, book again -------------


def pay_in_sandbox(page, booking):
    page.get_by_role("button", name="Proceed to pay").click()
    page.wait_for_url("**/payments/sandbox/**")
    expect(page.get_by_role("heading", name="Sandbox payment")).to_be_visible()
    return page


def test_new_customer_signs_up_books_with_a_promo_pays_gets_tickets_cancels_and_rebooks_from_the_wallet(
    live_server, browser, show, shots, task_cluster
):
    shots = shots("2-customer")
    make_promo(code="FIRSTSHOW", kind="percent", value=Decimal("20"))
    email = "asha.rao@example.com"

    # Sign up; the e-mail code confirms the address and signs in.
    page = new_page(browser)
    page.goto(live_server.url + "/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(CUSTOMER_PASSWORD)
    page.locator("#id_password2").fill(CUSTOMER_PASSWORD)
    shots(page, "signup")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#id_code")).to_be_visible()
    customer = confirm_email_code(page, email, shots)

    # Seats: two by mouse, one by keyboard.
    open_show(page, live_server, show)
    seat(page, "B4").click()
    seat(page, "B5").click()
    seat(page, "B5").focus()
    page.keyboard.press("ArrowRight")
    expect(seat(page, "B6")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("[data-count]")).to_have_text("3 of 10 seats selected: B4, B5, B6.")
    shots(page, "seats-selected")
    page.locator("[data-hold-button]").click()
    expect(page.locator("[data-hold]")).to_be_visible()
    booking = Booking.objects.get(user=customer, show=show, state=BookingState.HELD)
    page.locator("[data-continue]").click()
    page.wait_for_url(f"**/bookings/{booking.reference}/")

    # Promo code on the booking page: the server's quote with the discount.
    page.locator("#promo-code").fill("firstshow")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("[data-promo-applied]")).to_contain_text("FIRSTSHOW")
    booking.refresh_from_db()
    priced = quote(booking)
    assert priced.discount > 0
    expect(page.locator("[data-quote-total]")).to_have_text(inr(priced.total))
    shots(page, "booking-with-promo")

    # Pay in the sandbox; the confirmation lists one code per seat.
    pay_in_sandbox(page, booking)
    expect(page.get_by_role("button", name=f"Pay {inr(priced.total)}")).to_be_visible()
    shots(page, "sandbox-checkout")
    page.get_by_role("button", name=f"Pay {inr(priced.total)}").click()
    page.wait_for_url(f"**/bookings/{booking.reference}/")
    expect(page.locator(".banner--open")).to_contain_text("confirmed")
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED
    codes = list(Ticket.objects.filter(booking=booking).order_by("seat_label").values_list("code", flat=True))
    assert len(codes) == 3
    for code in codes:
        expect(page.locator(".ticket-list")).to_contain_text(code)
    # The confirmation e-mail went out from the cluster after the request, with the tickets' PDF.
    confirmation = task_cluster.email(f"booking_confirmed:{booking.reference}")
    assert email in confirmation["To"]
    assert booking.reference in confirmation["Subject"] or booking.reference in confirmation.get_body(("plain",)).get_content()
    (emailed_pdf,) = [
        part.get_content() for part in confirmation.iter_attachments() if part.get_content_type() == "application/pdf"
    ]
    shots(page, "confirmed")

    # The PDF: one page per ticket.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download tickets (PDF)").click()
    pdf = download_info.value
    with open(pdf.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    assert data == emailed_pdf  # rendered once, by the cluster's worker, and stored on the booking
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3
    text = "\n".join(p.extract_text() for p in reader.pages)
    for code in codes:
        assert code in text

    # 3. The customer cancels: by the default policy the whole amount goes to the wallet, as the
    # page says before the button is pressed.
    summary = f"Cancelling the whole booking refunds {inr(priced.total)} to your Marquee wallet."
    expect(page.locator("[data-cancel-summary]")).to_have_text(summary)
    page.get_by_role("button", name=f"Cancel the booking and refund {inr(priced.total)}").click()
    expect(page.locator(".banner--closed")).to_contain_text("refunded")
    booking.refresh_from_db()
    assert booking.state == BookingState.REFUNDED
    wallet = Wallet.objects.get(user=customer)
    assert wallet.balance == priced.total
    shots(page, "cancelled")

    # Finance adds a goodwill credit in the admin: Finance → Wallets → the wallet → Credit / refund.
    finance = make_staff("farhan", FINANCE)
    staff = new_page(browser)
    admin_login(staff, live_server, finance)
    staff.get_by_role("button", name="Finance").click()
    staff.get_by_role("link", name="Wallets").click()
    staff.get_by_role("link", name=email).click()
    expect(staff.locator("main")).to_contain_text(inr(priced.total))
    shots(staff, "finance-ledger")
    staff.get_by_role("link", name="Credit / refund").click()
    staff.get_by_label("Amount (₹)").fill("150")
    staff.get_by_label("Credit", exact=True).check()
    staff.get_by_label("Reason").fill(f"Goodwill credit: sorry about booking {booking.reference}")
    shots(staff, "finance-credit-form")
    staff.get_by_role("button", name="Credit the wallet").click()
    balance = priced.total + Decimal("150")
    expect(staff.locator(".messages")).to_contain_text(f"the balance is now {inr(balance)}")
    shots(staff, "finance-credited")
    wallet.refresh_from_db()
    assert wallet.balance == balance
    staff.context.close()

    # Booking again, paid by the wallet alone: confirmed without the sandbox.
    again = hold_and_continue(page, live_server, show, customer, ["B4", "B5"])
    wallet_box = page.locator("[data-use-wallet]")
    expect(wallet_box).to_be_checked()
    expect(page.locator(".booking-pay__wallet")).to_contain_text(inr(balance))
    shots(page, "rebook-with-wallet")
    second_total = quote(again).total
    assert second_total <= balance
    page.get_by_role("button", name="Proceed to pay").click()
    expect(page.locator(".banner--open")).to_contain_text("confirmed")
    assert "/payments/sandbox/" not in page.url
    again.refresh_from_db()
    assert again.state == BookingState.CONFIRMED
    wallet.refresh_from_db()
    assert wallet.balance == balance - second_total
    shots(page, "rebook-confirmed")
    assert page.js_errors == []

    # Every e-mail of the journey was sent by the cluster, once (the last one queued first: after it
    # the cluster is idle, and on in-memory SQLite reading beside its writes could meet a lock).
    task_cluster.email(f"booking_confirmed:{again.reference}")
    rows = SentEmail.objects.filter(user=customer).order_by("created_at")
    for row in rows:
        task_cluster.email(row.key)
    assert [row.kind for row in rows] == ["booking_confirmed", "booking_cancelled", "wallet_credited", "booking_confirmed"]


# --- 5. two customers race for one seat ---------------------------------------------------------


def test_two_customers_race_for_the_same_seat_and_the_second_is_told_it_was_taken(live_server, browser, show, shots):
    shots = shots("5-race")
    asha = signed_in_page(browser, live_server, make_customer("asha"))
    ravi = signed_in_page(browser, live_server, make_customer("ravi"))
    for page in (asha, ravi):
        open_show(page, live_server, show)
        seat(page, "B7").click()
        seat(page, "B8").click()
        expect(page.locator("[data-count]")).to_have_text("2 of 10 seats selected: B7, B8.")
    # Ravi's map does not refresh in between, so his "Hold seats" meets the taken seat (a 409).
    ravi.route("**/api/shows/*/seats", lambda route: route.abort())

    asha.locator("[data-hold-button]").click()
    expect(asha.locator("[data-hold]")).to_be_visible()
    shots(asha, "first-customer-holds")

    with ravi.expect_response(lambda r: r.url.endswith("/holds") and r.request.method == "POST") as held:
        ravi.locator("[data-hold-button]").click()
    assert held.value.status == 409
    expect(ravi.locator("[data-alert]")).to_contain_text("Sorry, B7, B8 were just taken")
    expect(seat(ravi, "B7")).to_have_attribute("aria-pressed", "false")
    expect(seat(ravi, "B7")).to_have_attribute("aria-disabled", "true")
    expect(ravi.locator("[data-hold]")).to_be_hidden()
    ravi.unroute("**/api/shows/*/seats")  # the map refreshes again: its figures follow the server
    expect(ravi.locator('[data-free-for="Prime"]')).to_have_text("8 free", timeout=12_000)
    expect(ravi.locator("[data-free-total]")).to_have_text("18")
    expect(ravi.locator("[data-alert]")).to_contain_text("Sorry, B7, B8 were just taken")
    shots(ravi, "second-customer-told")

    winner = Booking.objects.get(state=BookingState.HELD)
    assert winner.user.username == "asha" and sorted(winner.seats) == ["B7", "B8"]
    assert asha.js_errors == [] and ravi.js_errors == []


# --- 6. a hold running out on the booking page ---------------------------------------------------


def test_hold_running_out_on_the_booking_page_frees_the_seats_and_tells_the_customer(live_server, browser, show, customer, shots):
    shots = shots("6-hold-expiry")
    page = signed_in_page(browser, live_server, customer)
    open_show(page, live_server, show)
    seat(page, "A2").click()
    page.locator("[data-hold-button]").click()
    expect(page.locator("[data-hold]")).to_be_visible()
    booking = Booking.objects.get(user=customer, state=BookingState.HELD)

    # Ten minutes are too long to wait: the hold ends in four seconds instead, then the page reloads.
    Booking.objects.filter(pk=booking.pk).update(held_until=timezone.now() + timedelta(seconds=4))
    ShowSeat.objects.filter(show=show, booking=booking).update(held_until=timezone.now() + timedelta(seconds=4))
    page.goto(f"{live_server.url}/bookings/{booking.reference}/")
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^0:0[0-4]$"))
    shots(page, "countdown-running")
    expect(page.locator("[data-booking-ended]")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("[data-booking-live]")).to_be_hidden()
    expect(page.locator("[data-booking-ended]")).to_contain_text("Your hold has expired")
    shots(page, "hold-ended")
    # The browser's clock reads the server's to the second, so the page may say so up to a second
    # before the server's clock passes the hold's end; under load that second shows. Put the end
    # behind the server too, so the show page it opens next is rendered after the hold.
    Booking.objects.filter(pk=booking.pk).update(held_until=timezone.now() - timedelta(seconds=1))
    ShowSeat.objects.filter(show=show, booking=booking).update(held_until=timezone.now() - timedelta(seconds=1))

    # The seat is on sale again: another customer can hold it at once.
    page.get_by_role("link", name="Back to the show").click()
    expect(seat(page, "A2")).to_have_attribute("aria-pressed", "false")
    expect(seat(page, "A2")).not_to_have_attribute("aria-disabled", "true")
    rival = signed_in_page(browser, live_server, make_customer("ravi"))
    open_show(rival, live_server, show)
    seat(rival, "A2").click()
    rival.locator("[data-hold-button]").click()
    expect(rival.locator("[data-hold]")).to_be_visible()
    assert Booking.objects.get(user__username="ravi", state=BookingState.HELD).seats == ["A2"]
    assert page.js_errors == []
