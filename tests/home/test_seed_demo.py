"""The demo-data command builds a believable site and changes nothing when run again."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from cinema.layouts import companion_partners
from cinema.models import (
    Amenity,
    ConcessionItem,
    Credit,
    Genre,
    Holiday,
    Language,
    MovieIndexPage,
    MoviePage,
    PriceCard,
    PriceRule,
    Screen,
    SeatLayout,
    ShowPage,
    ShowPrice,
    TheaterIndexPage,
    TheaterPage,
)
from home.models import HomePage
from ticketing.models import ConcessionStock, ShowSeat

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", days=1, no_progress=True, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = {
        "pages": Page,
        "movies": MoviePage,
        "theaters": TheaterPage,
        "screens": Screen,
        "credits": Credit,
        "shows": ShowPage,
        "prices": ShowPrice,
        "price cards": PriceCard,
        "price rules": PriceRule,
        "holidays": Holiday,
        "seats": ShowSeat,
        "images": get_image_model(),
        "users": get_user_model(),
        "groups": Group,
        "genres": Genre,
        "languages": Language,
        "amenities": Amenity,
        "layouts": SeatLayout,
        "revisions": Revision,
        "menu items": ConcessionItem,
        "stock counts": ConcessionStock,
    }
    return {name: model.objects.count() for name, model in models.items()}


def test_builds_a_believable_demo_site(client):
    """One seeding (it takes seconds), checked from every side."""
    output = seed()
    check_pages()
    check_seat_layouts()
    check_shows_have_seats_and_prices()
    check_no_two_shows_overlap_on_a_screen()
    check_posters()
    check_users_and_groups(client, output)
    check_every_page_renders(client)


def check_pages():
    home = HomePage.objects.get()
    assert home.hero_text and home.hero_image is not None
    assert home.hero_image.width > home.hero_image.height
    assert MovieIndexPage.objects.child_of(home).get().slug == "movies"
    assert TheaterIndexPage.objects.child_of(home).get().slug == "theaters"

    movies = MoviePage.objects.live()
    assert movies.count() == 8
    today = timezone.localdate()
    coming_soon = movies.filter(release_date__gt=today)
    assert coming_soon.count() == 2
    assert not ShowPage.objects.filter(movie__in=coming_soon).exists()
    assert movies.filter(release_date__lte=today, release_date__gte=today - timedelta(weeks=6)).count() == 6
    for movie in movies:
        assert 100 <= movie.runtime_minutes <= 175
        assert 1 <= movie.languages.count() <= 3
        assert movie.genres.exists()
        assert 3 <= movie.credits.count() <= 6
    assert movies.exclude(trailer_url="").count() >= 2

    theaters = TheaterPage.objects.live()
    assert theaters.count() == 3
    assert sorted(set(theaters.values_list("city", flat=True))) == ["Bengaluru", "Mumbai"]
    assert all(2 <= t.screens.count() <= 4 and t.amenities.exists() for t in theaters)
    assert Screen.objects.count() >= 8
    assert Screen.objects.filter(format="IMAX").exists() and Screen.objects.filter(format="3D").exists()
    assert Amenity.objects.filter(name="Wheelchair access").exists()
    assert set(Language.objects.values_list("name", flat=True)) >= {"Hindi", "English", "Tamil", "Telugu", "Malayalam"}


def check_seat_layouts():
    layouts = list(SeatLayout.objects.all())
    assert 3 <= len(layouts) <= 4
    assert max(layout.capacity for layout in layouts) >= 250
    lounge = next(layout for layout in layouts if layout.capacity <= 70)
    assert lounge.category_names() == ["Recliner"]
    seats = [seat for layout in layouts for seat in layout.compile().seats]
    assert any(seat.wheelchair for seat in seats) and any(seat.blocked for seat in seats)
    for layout in layouts:  # every wheelchair row has a companion seat beside a space
        compiled = layout.compile()
        spaces = {seat.label for seat in compiled.seats if seat.wheelchair}
        partners = companion_partners(compiled.seats)
        assert partners and all(set(beside) <= spaces and beside for beside in partners.values()), layout.name


def check_shows_have_seats_and_prices():
    shows = ShowPage.objects.annotate(seat_count=Count("seats", distinct=True)).select_related("screen__seat_layout", "movie")
    assert shows.count() > 0
    assert not ShowPage.objects.not_live().exists()
    for show in shows:
        layout = show.screen.seat_layout
        assert show.seat_count == layout.capacity
        prices = show.price_map()
        assert sorted(prices) == sorted(layout.category_names())
        assert all(150 <= amount <= 750 for amount in prices.values())
        rows = show.prices.select_related("rule__card")
        assert all(price.from_card and price.rule_id for price in rows)  # every price from a card
        if layout.name.startswith("Lounge"):  # the lounge screens' own card wins over the theater's
            assert all(price.rule.card.screen_id == show.screen_id for price in rows)
        assert show.movie.languages.filter(pk=show.language_id).exists()
        assert show.screen.supports(show.format)
    assert ShowPage.objects.filter(screen__format="IMAX").exclude(format="IMAX").count() == 0
    assert ShowSeat.objects.filter(state="blocked").exists()


def check_no_two_shows_overlap_on_a_screen():
    by_screen: dict[int, list] = {}
    for show in ShowPage.objects.select_related("movie").order_by("starts_at"):
        by_screen.setdefault(show.screen_id, []).append(show)
    for shows in by_screen.values():
        for earlier, later in zip(shows, shows[1:], strict=False):
            assert earlier.ends_at + timedelta(minutes=15) <= later.starts_at


def check_posters():
    for movie in MoviePage.objects.select_related("poster"):
        assert movie.poster is not None, movie.title
        assert (movie.poster.width, movie.poster.height) == (600, 900)
        assert default_storage.exists(movie.poster.file.name)


def check_users_and_groups(client, output):
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.email == "admin@example.com"
    assert client.login(username="admin", password="marquee-admin")
    for username, group in (("editor", "Editors"), ("finance", "Finance"), ("boxoffice", "Box office")):
        user = User.objects.get(username=username)
        assert user.check_password("marquee-demo")
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.has_perm("wagtailadmin.access_admin")
    assert "admin" in output and "marquee-admin" in output and "marquee-demo" in output
    # The demo box office can sell at once: a counter per theater, and the permission to sell.
    assert User.objects.get(username="boxoffice").has_perm("ticketing.sell_at_counter")
    first_theater = TheaterPage.objects.order_by("title").values_list("title", flat=True).first()
    assert f"one counter per theater: {first_theater} · Counter 1" in output
    check_menu(client)


def check_menu(client):
    """Every theater's menu: popcorn sizes, nachos, samosa, cold drinks, a combo and a bundle,
    each with a picture drawn locally; a few items counted in stock."""
    skus = set(ConcessionItem.objects.values_list("sku", flat=True))
    assert {"POP-R", "POP-L", "NACHO", "SAMOSA", "COLA-M", "COMBO-1", "BND-2R"} <= skus
    assert not ConcessionItem.objects.filter(image__isnull=True).exists()
    assert ConcessionItem.objects.get(sku="BND-2R").seats_included == 2
    assert ConcessionStock.objects.filter(item__sku="SAMOSA").count() == TheaterPage.objects.count()
    show = ShowPage.objects.filter(live=True).first()
    menu = client.get(f"/api/shows/{show.pk}/menu").json()
    assert {"POP-L", "SAMOSA"} <= {entry["sku"] for entry in menu}


def test_running_twice_changes_nothing():
    seed()
    first = counts()
    output = seed()
    assert counts() == first
    assert "0 shows created" in output


def test_days_must_be_in_range():
    with pytest.raises(CommandError):
        call_command("seed_demo", days=0, no_progress=True, stdout=StringIO())


def check_every_page_renders(client):
    """Every customer page of the demo site answers 200, and so do the editors' admin screens."""

    client.logout()
    live = Page.objects.live().specific().exclude(depth=1)
    shows = [page for page in live if isinstance(page, ShowPage)]
    others = [page for page in live if not isinstance(page, ShowPage)]
    for page in others + shows[:: max(1, len(shows) // 15)]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
    for city in ("Mumbai", "Bengaluru"):
        assert client.get(f"/?city={city}").status_code == 200

    assert client.login(username="editor", password="marquee-demo")
    admin_urls = [
        reverse("wagtailadmin_home"),
        reverse("cinema_scheduler"),
        reverse("wagtailsnippets_cinema_seatlayout:list"),
        reverse("wagtailsnippets_cinema_seatlayout:edit", args=[SeatLayout.objects.first().pk]),
        reverse("wagtailadmin_pages:edit", args=[shows[0].pk]),
        reverse("wagtailadmin_pages:edit", args=[TheaterPage.objects.first().pk]),
    ]
    for url in admin_urls:
        assert client.get(url).status_code == 200, url
