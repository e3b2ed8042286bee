"""The home, movie and theater pages and their indexes as one cached response per page, query
and content version (docs/DESIGN.md §11), like the show page.

These pages list movies and showtimes and say the same to everyone (templates/public_page.html:
who is signed in is painted by static/js/session.js). They change with the content version and
with the clock: a listed show starting drops out, a show coming into the listing window comes
in, "Today" turns into a date at midnight. An entry is valid until the first of those instants,
and an hour at most. One copy per language, as for the show page. Only the queries the pages read (?city=, ?page=, the showtime filters) are cached; any other
query string is rendered as usual.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Q
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import urlencode
from wagtail.models import Page, Site

from cinema.models import MovieIndexPage, MoviePage, ShowPage, TheaterIndexPage, TheaterPage
from cinema.showtimes import LISTING_DAYS
from home import show_routes
from home.models import HomePage
from home.page_cache import (
    PAGE_SECONDS,
    cacheable,
    content_and,
    deploy_tag,
    hit,
    keep,
    render_as_nobody,
    request_language,
)

LISTING_PAGES = (HomePage, MovieIndexPage, MoviePage, TheaterIndexPage, TheaterPage)
QUERY_KEYS = frozenset({"city", "page", "language", "format", "accessibility", "time"})
MAX_QUERY_VALUE = 64


@dataclass(frozen=True)
class ListingRoute:
    page_id: int | None  # None: not a public listing page at this address
    site: Site | None = None


def query_part(request) -> str | None:
    """The query string the page reads, in one spelling; None when it carries anything else."""
    items = []
    for key in sorted(request.GET):
        values = request.GET.getlist(key)
        if key not in QUERY_KEYS or len(values) != 1 or len(values[0]) > MAX_QUERY_VALUE:
            return None
        items.append((key, values[0]))
    return urlencode(items)


def page_key(page_id: int, content: int, query: str, language: str) -> str:
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    return f"page:list:{page_id}:{content}:{digest}:{language}:{deploy_tag()}"


def route_key(request) -> str:
    return f"page:lroute:{request.get_host()}:{request.path_info}"


def served_by_wagtail(path: str) -> bool:
    try:
        return resolve(path).url_name == "wagtail_serve"
    except Resolver404:
        return False


def resolve_route(request, content: int, cached) -> ListingRoute:
    fields = show_routes.recalled(cached, content, 2)
    if fields is not None:
        return ListingRoute(*fields)
    route = _read(request)
    show_routes.remember(route_key(request), content, (route.page_id, route.site), route.page_id is not None)
    return route


def _read(request) -> ListingRoute:
    site, url_path = show_routes.site_and_url_path(request)
    if url_path is None:
        return ListingRoute(None, site)
    kinds = ContentType.objects.get_for_models(*LISTING_PAGES).values()
    found = (
        Page.objects.live()
        .filter(url_path=url_path, alias_of__isnull=True, content_type__in=kinds)
        .annotate(restricted=show_routes.restricted_here())
        .values_list("pk", "restricted")
        .first()
    )
    if found is None or found[1]:
        return ListingRoute(None, site)
    return ListingRoute(found[0], site)


def valid_until(now: datetime) -> float:
    """When a listing may first say something else with nothing written: a listed show starts,
    one enters the listing window, local midnight, or an hour from now. A Unix time."""
    window = timedelta(days=LISTING_DAYS)
    shows = ShowPage.objects.filter(live=True).aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=now)),
        entry=Min("starts_at", filter=Q(starts_at__gte=now + window)),
    )
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    times = [now + timedelta(seconds=PAGE_SECONDS), timezone.make_aware(datetime.combine(tomorrow, time()))]
    if shows["start"] is not None:
        times.append(shows["start"])
    if shows["entry"] is not None:
        times.append(shows["entry"] - window)
    return min(times).timestamp()


class ListingPageCacheMiddleware:
    """After the show page's middleware and before SessionMiddleware: a hit answers without
    the session, the user or the database; a miss renders for nobody (no cookies passed on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or show_routes.SHOW_PATH.match(request.path_info):
            return self.get_response(request)
        query = query_part(request)
        if query is None or not served_by_wagtail(request.path_info):
            return self.get_response(request)
        content, cached_route = content_and(route_key(request))
        if content is None:
            return self.get_response(request)  # the cache is unreachable: render as usual
        route = resolve_route(request, content, cached_route)
        if route.page_id is None:
            return self.get_response(request)
        language = request_language(request)
        key = page_key(route.page_id, content, query, language)
        return hit(key) or self._render(request, route, key, language)

    def _render(self, request, route: ListingRoute, key: str, language: str):
        if route.site is not None:
            request._wagtail_site = route.site
        now = timezone.now()
        render_as_nobody(request, language)
        response = self.get_response(request)
        if cacheable(response):
            keep(key, response, valid_until(now))
        return response
