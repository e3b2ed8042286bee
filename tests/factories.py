"""Small factories for Marquee's content.

Page factories follow wagtail-factories: a page is always created under a parent with
``parent.add_child(instance=...)``, so its tree fields, URL path and revisions are real.
The ``make_*`` helpers are what tests call; each takes keyword overrides and fills in the
rest with the smallest sensible data.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from cinema.models import (
    Genre,
    Language,
    MovieIndexPage,
    MoviePage,
    Screen,
    SeatLayout,
    ShowPage,
    ShowPrice,
    TheaterIndexPage,
    TheaterPage,
)
from home.models import BookingSettings, HomePage

# --- snippets -----------------------------------------------------------------------------


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("name",)

    name = "Hindi"


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("name",)

    name = "Drama"


def row(label: str, seats: int = 10, category: str = "Classic", **extra) -> dict:
    """One row block's value, as an editor would fill the form."""
    value = {
        "label": label,
        "seats": seats,
        "category": category,
        "first_number": 1,
        "offset": 0,
        "aisles_after": "",
        "wheelchair": "",
        "blocked": "",
        "walkway_before": False,
    }
    value.update(extra)
    return value


def category(name: str, description: str = "") -> dict:
    return {"name": name, "description": description}


DEFAULT_CATEGORIES = ["Prime", "Classic"]


class SeatLayoutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeatLayout

    name = factory.Sequence(lambda n: f"Layout {n}")
    categories = factory.LazyFunction(lambda: [("category", category(name)) for name in DEFAULT_CATEGORIES])
    rows = factory.LazyFunction(lambda: [("row", row("A", 10, "Classic")), ("row", row("B", 10, "Prime"))])


def make_layout(rows=None, categories=None, **kwargs) -> SeatLayout:
    """A validated seat layout. ``rows`` are dicts from :func:`row`; ``categories`` are names
    or dicts from :func:`category`. Default: A1–A10 Classic, B1–B10 Prime."""
    if categories is not None:
        kwargs["categories"] = [("category", category(c) if isinstance(c, str) else c) for c in categories]
    if rows is not None:
        kwargs["rows"] = [("row", r) for r in rows]
    layout = SeatLayoutFactory.build(**kwargs)
    layout.full_clean()
    layout.save()
    return layout


def set_layout_rows(layout: SeatLayout, rows, categories=None) -> SeatLayout:
    """Edit an existing layout the way the snippet editor does: validate, then save."""
    layout.rows = [("row", r) for r in rows]
    if categories is not None:
        layout.categories = [("category", category(c) if isinstance(c, str) else c) for c in categories]
    layout.full_clean()
    layout.save()
    return layout


# --- pages --------------------------------------------------------------------------------


class PageFactory(factory.django.DjangoModelFactory):
    """Creates the page under ``parent`` (required) with ``parent.add_child``."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            raise ValueError(f"{model_class.__name__} needs a parent page")
        many = {f.name for f in model_class._meta.get_fields() if f.many_to_many and not f.auto_created}
        m2m = {name: kwargs.pop(name) for name in list(kwargs) if name in many}
        page = model_class(**kwargs)
        for name, values in m2m.items():
            getattr(page, name).set(values)
        return parent.add_child(instance=page)


class MovieIndexPageFactory(PageFactory):
    class Meta:
        model = MovieIndexPage

    title = "Movies"
    slug = "movies"


class TheaterIndexPageFactory(PageFactory):
    class Meta:
        model = TheaterIndexPage

    title = "Theaters"
    slug = "theaters"


class MoviePageFactory(PageFactory):
    class Meta:
        model = MoviePage

    title = factory.Sequence(lambda n: f"Movie {n}")
    slug = factory.LazyAttribute(lambda o: o.title.lower().replace(" ", "-"))
    runtime_minutes = 120


class TheaterPageFactory(PageFactory):
    class Meta:
        model = TheaterPage

    title = factory.Sequence(lambda n: f"Marquee {n}")
    slug = factory.LazyAttribute(lambda o: o.title.lower().replace(" ", "-"))
    city = "Mumbai"
    address = "1 Linking Road"


def home_page() -> HomePage:
    return HomePage.objects.get()


def movie_index() -> MovieIndexPage:
    return MovieIndexPage.objects.first() or MovieIndexPageFactory(parent=home_page())


def theater_index() -> TheaterIndexPage:
    return TheaterIndexPage.objects.first() or TheaterIndexPageFactory(parent=home_page())


def make_language(name: str = "Hindi") -> Language:
    return LanguageFactory(name=name)


def make_movie(languages=None, parent=None, **kwargs) -> MoviePage:
    """A live movie under the movie index; ``languages`` are names or Language objects."""
    languages = ["Hindi"] if languages is None else languages
    kwargs["languages"] = [make_language(lang) if isinstance(lang, str) else lang for lang in languages]
    return MoviePageFactory(parent=parent or movie_index(), **kwargs)


def make_theater(screens=None, parent=None, **kwargs) -> TheaterPage:
    """A live theater; ``screens`` are dicts of Screen fields (a layout is made when absent).
    Default: one 2D "Screen 1" with the default layout."""
    screens = [{}] if screens is None else screens
    built = []
    for index, spec in enumerate(screens):
        spec = dict(spec)
        spec.setdefault("name", f"Screen {index + 1}")
        spec.setdefault("format", "2D")
        if "seat_layout" not in spec:
            spec["seat_layout"] = make_layout()
        built.append(Screen(sort_order=index, **spec))
    page = TheaterPageFactory.build(**kwargs)
    page.screens = built
    return (parent or theater_index()).add_child(instance=page)


def make_screen(**kwargs) -> Screen:
    """The first screen of a new theater."""
    return make_theater(screens=[kwargs]).screens.first()


def local_dt(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware datetime in the project's time zone (Asia/Kolkata)."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def default_prices(screen: Screen) -> dict[str, Decimal]:
    return {name: Decimal("200.00") + 50 * i for i, name in enumerate(reversed(screen.seat_layout.category_names()))}


def make_show(movie=None, screen=None, starts_at=None, prices=None, live=True, **kwargs) -> ShowPage:
    """A show under its movie, created with ``movie.add_child`` (full validation runs).
    Default: tomorrow at 18:00 on a new theater's screen, in the movie's first language."""
    movie = movie or make_movie()
    screen = screen or make_screen()
    if starts_at is None:
        tomorrow = timezone.localdate() + timedelta(days=1)
        starts_at = local_dt(tomorrow.year, tomorrow.month, tomorrow.day, 18)
    kwargs.setdefault("language", movie.languages.first())
    prices = default_prices(screen) if prices is None else prices
    show = ShowPage(screen=screen, starts_at=starts_at, live=live, **kwargs)
    show.prices = [ShowPrice(category=c, amount=Decimal(a), sort_order=i) for i, (c, a) in enumerate(prices.items())]
    return movie.add_child(instance=show)


def set_cleaning_buffer(minutes: int) -> BookingSettings:
    settings = BookingSettings.load()
    settings.cleaning_buffer_minutes = minutes
    settings.save()
    return settings


# --- users --------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("pass")


def make_user(*permissions: str, **kwargs):
    """A non-superuser with exactly these "app_label.codename" permissions."""
    user = UserFactory(**kwargs)
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


# --- customers and promo codes -------------------------------------------------------------


def make_customer(verified: bool = True, **kwargs):
    """A customer who signed up with allauth; ``verified`` says whether they entered the e-mail code."""
    from allauth.account.models import EmailAddress

    user = UserFactory(**kwargs)
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": verified, "primary": True})
    return user


def make_promo(**kwargs):
    """An active promo code: 10 % off, no limits, unless told otherwise. ``movies`` and
    ``theaters`` take pages."""
    from ticketing.models import PromoCode

    kwargs.setdefault("code", f"PROMO{PromoCode.objects.count() + 1}")
    kwargs.setdefault("kind", "percent")
    kwargs.setdefault("value", Decimal("10"))
    movies = kwargs.pop("movies", ())
    theaters = kwargs.pop("theaters", ())
    promo = PromoCode(**kwargs)
    promo.full_clean()
    promo.save()
    if movies or theaters:
        promo.movies.set(movies)
        promo.theaters.set(theaters)
        promo.save()
    return promo


# --- food and drinks ------------------------------------------------------------------------


def make_concession(sku="POP-L", name="Large salted popcorn", price="300.00", **kwargs):
    """An active menu item (vegetarian popcorn unless told otherwise), checked as the editor's form would."""
    from cinema.models import ConcessionItem

    item = ConcessionItem(sku=sku, name=name, price=Decimal(price), **kwargs)
    item.full_clean()
    item.save()
    return item


def set_stock(theater, item, quantity: int):
    from ticketing.models import ConcessionStock

    stock, _ = ConcessionStock.objects.update_or_create(theater=theater, item=item, defaults={"quantity": quantity})
    return stock
