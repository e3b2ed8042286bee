"""The box office's journeys in a real browser, end to end, with screenshots.

1. An editor logs into the Wagtail admin, creates a movie with a poster, schedules a week of
   shows on two screens with the scheduler, and the shows are live on the public movie page.
2. A new customer signs up with the e-mail code, picks seats by mouse and keyboard, applies a
   promo code, pays in the sandbox, sees the confirmation and downloads the PDF tickets; then
   cancels (refunded to the wallet by the default policy), finance adds a goodwill credit in the
   admin, and the customer books again paying with the wallet alone.
3. Two customers in two browsers race for one seat: the loser's seat map says it was taken.
4. A hold running out on the booking page tells the customer and frees the seats.

Background tasks: the test settings run django-q2 with ``"sync": True``, so every
``async_task`` (confirmation e-mail with the PDF, ticket rendering, refunds) runs through
django-q2 inline, inside the live server's request, once the transaction commits. A separate
``qcluster`` process was not used: the confirmation e-mail is asserted from ``mail.outbox``,
which only sees mail sent in this process, and the transactional test database would have to
be shared with (and flushed under) another process, which invites flakiness.

Screenshots: ``artifacts/e2e/<journey>--<nn>-<step>.png`` (full page), see conftest.py.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

pytest.importorskip("playwright")
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import expect  # noqa: E402
from wagtail.images.models import Image  # noqa: E402

from cinema.models import MoviePage, ShowPage  # noqa: E402
from home.roles import EDITORS  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    new_page,
)
from tests.factories import make_language, make_theater, movie_index  # noqa: E402

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
