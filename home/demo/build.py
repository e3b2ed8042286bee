"""Idempotent steps that turn the demo catalogue into pages, snippets, images, users and shows.

Every step looks its rows up (by slug, name, title or username) before creating them and
leaves existing rows exactly as they are, so running the demo command again changes nothing,
and an editor's changes to demo content survive a re-run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.images import ImageFile
from django.core.management.base import CommandError
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.utils.file import hash_filelike

from cinema.models import (
    Amenity,
    ConcessionItem,
    Credit,
    Genre,
    Language,
    LegalEntity,
    MovieIndexPage,
    MoviePage,
    Screen,
    SeatLayout,
    TheaterIndexPage,
    TheaterPage,
)
from cinema.scheduler import Refusal, ScheduleRequest, SchedulerError, ScheduleResult, schedule_shows
from cinema.show_rules import cleaning_buffer
from home.demo import content, menu, posters
from home.models import HomePage
from ticketing.models import ConcessionStock


# --- users -----------------------------------------------------------------------------------
@dataclass
class Login:
    username: str
    password: str
    role: str
    created: bool


def ensure_users(groups: dict) -> list[Login]:
    """The superuser and one demo user per staff group. Existing users keep their password."""
    User = get_user_model()
    logins = []
    admin = content.SUPERUSER
    created = not User.objects.filter(username=admin["username"]).exists()
    if created:
        User.objects.create_superuser(
            username=admin["username"], email=admin["email"], password=admin["password"], first_name=admin["first_name"]
        )
    logins.append(Login(admin["username"], admin["password"], "Superuser", created))
    hashed = {}  # the demo users share a password: hash it once, hashing is deliberately slow
    for spec in content.STAFF_USERS:
        user = User.objects.filter(username=spec["username"]).first()
        created = user is None
        if created:
            user = User(username=spec["username"], email=spec["email"], first_name=spec["first_name"])
            if spec["password"] not in hashed:
                hashed[spec["password"]] = make_password(spec["password"])
            user.password = hashed[spec["password"]]
            user.save()
        user.groups.add(groups[spec["group"]])
        logins.append(Login(spec["username"], spec["password"], spec["group"], created))
    return logins


def author():
    """Demo pages are written by the demo editor, so the audit log reads naturally."""
    return get_user_model().objects.filter(username=content.STAFF_USERS[0]["username"]).first()


# --- snippets --------------------------------------------------------------------------------
@dataclass
class Snippets:
    genres: dict
    languages: dict
    amenities: dict
    layouts: dict


def _named(model, names) -> dict:
    found = {obj.name: obj for obj in model.objects.filter(name__in=names)}
    for name in names:
        if name not in found:
            found[name] = model.objects.create(name=name, slug=slugify(name))
    return found


def _layout(spec: dict) -> SeatLayout:
    layout = SeatLayout.objects.filter(name=spec["name"]).first()
    if layout is not None:
        return layout
    notes = {**content.CATEGORY_NOTES, **spec.get("category_notes", {})}
    rows = [
        ("row", {"first_number": 1, "offset": 0, "aisles_after": "", "wheelchair": "", "companion": "", "blocked": "", **row})
        for row in spec["rows"]
    ]
    layout = SeatLayout(
        name=spec["name"],
        categories=[("category", {"name": name, "description": notes.get(name, "")}) for name in spec["categories"]],
        rows=rows,
    )
    layout.full_clean()
    layout.save()
    return layout


def ensure_snippets() -> Snippets:
    return Snippets(
        genres=_named(Genre, content.GENRES),
        languages=_named(Language, content.LANGUAGES),
        amenities=_named(Amenity, content.AMENITIES),
        layouts={spec["name"]: _layout(spec) for spec in content.SEAT_LAYOUTS},
    )


# --- images ----------------------------------------------------------------------------------
def ensure_image(title: str, filename: str, draw):
    """The Wagtail image with this title; drawn and stored only the first time."""
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    data = draw()
    image = Image(
        title=title, file=ImageFile(BytesIO(data), name=filename), file_size=len(data), file_hash=hash_filelike(BytesIO(data))
    )
    image.save()
    return image


def movie_slug(spec: dict) -> str:
    """A title in an Indian script slugifies to nothing: such a movie names its slug."""
    return spec.get("slug") or slugify(spec["title"])


def poster_for(spec: dict):
    """The poster's lettering is Latin (the poster_title of a movie titled in another script):
    the demo's image font is DejaVu, which has no Indian-script glyphs."""
    lettering = spec.get("poster_title", spec["title"])
    return ensure_image(
        f"Poster: {lettering}",
        f"poster-{movie_slug(spec)}.png",
        lambda: posters.draw_poster(lettering, spec["certification"], spec["tagline"], spec["poster"]),
    )


# --- pages -----------------------------------------------------------------------------------
def _publish_child(parent, page, user):
    """Create a page the way an editor would: a first revision, then publish it."""
    page.owner = user
    page.live = False
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True).publish(user=user)
    return page


def home_page() -> HomePage:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page.specific if site else None
    if isinstance(root, HomePage):
        return root
    home = HomePage.objects.first()
    if home is None:
        raise CommandError("No HomePage found: run `manage.py migrate` first.")
    return home


def ensure_home(home: HomePage, user) -> None:
    """Dress the home page's hero once; a hero an editor has already chosen is left alone."""
    hero = ensure_image(content.HERO_IMAGE["title"], "marquee-hero.png", lambda: posters.draw_hero(content.HERO_IMAGE))
    if home.hero_image_id:
        return
    for field, value in {**content.HOME_HERO, "hero_image": hero}.items():
        setattr(home, field, value)
    home.save_revision(user=user, log_action=True).publish(user=user)


def ensure_index(home: HomePage, model, spec: dict, user):
    """The movies or theaters index (one of each may exist, whatever its slug)."""
    found = model.objects.child_of(home)
    page = found.filter(slug=spec["slug"]).first() or found.first()
    if page is None:
        page = _publish_child(home, model(**spec), user)
    return page


def ensure_movie(index: MovieIndexPage, spec: dict, snippets: Snippets, today: date, user) -> MoviePage:
    slug = movie_slug(spec)
    movie = MoviePage.objects.child_of(index).filter(slug=slug).first()
    if movie is not None:
        return movie
    movie = MoviePage(
        title=spec["title"],
        slug=slug,
        tagline=spec["tagline"],
        synopsis=f"<p>{escape(spec['synopsis'])}</p>",
        poster=poster_for(spec),
        runtime_minutes=spec["runtime"],
        certification=spec["certification"],
        release_date=today + timedelta(days=spec["released"]),
        trailer_url=spec["trailer"],
    )
    movie.languages = [snippets.languages[name] for name in spec["languages"]]
    movie.genres = [snippets.genres[name] for name in spec["genres"]]
    movie.credits = [Credit(name=name, role=role, character=character) for name, role, character in spec["credits"]]
    return _publish_child(index, movie, user)


def ensure_legal_entity(spec: dict) -> LegalEntity:
    """Looked up by GSTIN; an existing entity is left as it is."""
    entity = LegalEntity.objects.filter(gstin=spec["gstin"]).first()
    if entity is None:
        entity = LegalEntity(**spec)
        entity.full_clean()  # the demo's GSTINs pass the same checks as an editor's
        entity.save()
    return entity


def ensure_theater(index: TheaterIndexPage, spec: dict, snippets: Snippets, user) -> TheaterPage:
    theater = TheaterPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if theater is not None:
        return theater
    theater = TheaterPage(
        title=spec["title"], slug=spec["slug"], city=spec["city"], address=spec["address"], map_url=spec["map_url"]
    )
    if spec.get("entity"):
        theater.legal_entity = ensure_legal_entity(content.LEGAL_ENTITIES[spec["entity"]])
    theater.amenities = [snippets.amenities[name] for name in spec["amenities"]]
    theater.screens = [
        Screen(name=name, format=screen_format, seat_layout=snippets.layouts[layout])
        for name, screen_format, layout in spec["screens"]
    ]
    return _publish_child(index, theater, user)


# --- shows -----------------------------------------------------------------------------------
def _minutes(hour_minute: tuple[int, int]) -> int:
    return hour_minute[0] * 60 + hour_minute[1]


def _round_up(minutes: int, step: int = 5) -> int:
    return -(-minutes // step) * step


def show_format(movie_formats: list[str], screen: Screen) -> str:
    """The best print of the film this screen can project: IMAX, then 3D/4DX, then 2D."""
    for candidate in ("IMAX", "4DX", "3D", "2D"):
        if candidate in movie_formats and screen.supports(candidate):
            return candidate
    return "2D"


@dataclass
class PlannedRun:
    """Every day, this movie plays on this screen at these times, in this language and format."""

    movie: MoviePage
    screen: Screen
    language: Language
    format: str
    times: list[time]


def plan_rotas(movies: list[tuple[MoviePage, dict]], screens: list[Screen], languages: dict) -> list[PlannedRun]:
    """A fixed daily rota per screen: each start waits for the previous film plus cleaning,
    so no two shows on a screen can overlap, on any day. Screens take turns through the
    catalogue so every film plays in several theaters; the IMAX screen only plays IMAX prints."""
    buffer = int(cleaning_buffer().total_seconds() // 60)
    runs: dict[tuple, PlannedRun] = {}
    placements: dict[int, int] = defaultdict(int)  # per film, so each of its languages gets a turn
    for position, screen in enumerate(screens):
        candidates = [(m, s) for m, s in movies if screen.format != "IMAX" or "IMAX" in s["formats"]] or movies
        start = _minutes(content.FIRST_SHOW) + (position % 4) * content.SCREEN_STAGGER_MINUTES
        for slot in range(content.SHOWS_PER_SCREEN):
            if start > _minutes(content.LAST_START):
                break
            movie, spec = candidates[(position + slot) % len(candidates)]
            language = languages[spec["languages"][placements[movie.pk] % len(spec["languages"])]]
            placements[movie.pk] += 1
            fmt = show_format(spec["formats"], screen)
            run = runs.setdefault((screen.pk, movie.pk, language.pk, fmt), PlannedRun(movie, screen, language, fmt, []))
            run.times.append(time(start // 60, start % 60))
            start = _round_up(start + movie.runtime_minutes + buffer)
    return list(runs.values())


def schedule_run(run: PlannedRun, first_day: date, days: int, user) -> ScheduleResult:
    """Schedule one rota line; a request the scheduler rejects outright (say an editor removed
    the film's language) is reported as refused instead of stopping the whole demo."""
    request = ScheduleRequest(
        movie=run.movie,
        screens=[run.screen],
        first_day=first_day,
        last_day=first_day + timedelta(days=days - 1),
        times=run.times,
        language=run.language,
        format=run.format,
        prices={},  # every price from the theater's or screen's card (home/demo/price_cards.py)
        publish=True,
    )
    try:
        return schedule_shows(request, user=user)
    except SchedulerError as exc:
        return ScheduleResult(refused=[Refusal(title=f"{run.movie.title} on {run.screen}", reason=str(exc))])


def now_showing(movies: dict[str, MoviePage], today: date) -> list[tuple[MoviePage, dict]]:
    """Movies already released, paired with their catalogue entry (formats, languages)."""
    return [(movies[spec["title"]], spec) for spec in content.MOVIES if movies[spec["title"]].release_date <= today]


def screens_of(theaters: list[TheaterPage]) -> list[Screen]:
    return list(
        Screen.objects.filter(theater__in=theaters)
        .select_related("theater", "seat_layout")
        .order_by("theater__path", "sort_order")
    )


def tally(results: list[ScheduleResult]) -> dict:
    totals = defaultdict(int)
    for result in results:
        totals["created"] += len(result.created)
        totals["skipped"] += len(result.skipped)
        totals["refused"] += len(result.refused)
    return dict(totals)


# --- food and drinks -------------------------------------------------------------------------
def ensure_menu(theaters: list[TheaterPage]) -> list[ConcessionItem]:
    """The demo menu with its pictures, a bundle, and stock counted for a few items at every
    theater (the rest are not counted)."""
    items = []
    for sku, name, description, price, category, diet, allergens, colours, shape in [*menu.MENU, menu.BUNDLE]:
        image = ensure_image(
            f"Menu: {name}", f"menu-{slugify(sku)}.png", lambda n=name, c=colours, s=shape: menu.draw_item(n, c, s)
        )
        bundle = sku == menu.BUNDLE[0]
        item, _ = ConcessionItem.objects.get_or_create(
            sku=sku,
            defaults={
                "name": name,
                "description": description,
                "price": Decimal(price),
                "category": category,
                "diet": diet,
                "allergens": allergens,
                "image": image,
                "seats_included": menu.BUNDLE_SEATS[0] if bundle else 0,
                "seat_category": menu.BUNDLE_SEATS[1] if bundle else "",
            },
        )
        items.append(item)
    by_sku = {item.sku: item for item in items}
    for theater in theaters:
        for sku, count in menu.DEMO_STOCK.items():
            ConcessionStock.objects.get_or_create(theater=theater, item=by_sku[sku], defaults={"quantity": count})
    return items
