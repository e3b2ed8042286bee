"""Show paths resolved in one query, remembered per content version.

Wagtail finds a page by walking the tree from the site's root (two queries a level, nine for
a show). A show's address is its url_path under the site's root, so one indexed read finds it;
the answer (and whether any ancestor carries a view restriction) is kept in the cache under
the content version it was read at, so a publish, unpublish, move or restriction change
(home/invalidation.py bumps the version) is seen by the next request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction, Site

from cinema.models import ShowPage
from core.queries import only_row

# /<index>/<movie>/shows/<slug>/ — ShowPage.set_url_path puts "shows/" before every show's slug.
SHOW_PATH = re.compile(r"^/(?:[^/]+/)+shows/[^/]+/$")
ROUTE_SECONDS = 24 * 3600
MISS_SECONDS = 60


@dataclass(frozen=True)
class ShowRoute:
    show_id: int | None  # None: no live show at this address
    public: bool  # no view restriction on the show or an ancestor, not an alias
    site: Site | None = None  # the request's site, so pageurl need not look it up again
    show: ShowPage | None = None  # when just read: the page itself, ready to render


def route_key(request) -> str:
    return f"page:route:{request.get_host()}:{request.path_info}"


def recalled(cached, content: int, size: int) -> tuple | None:
    """A cached route's fields when they were read at this content version."""
    if isinstance(cached, tuple) and len(cached) == size + 1 and cached[0] == content:
        return cached[1:]
    return None


def remember(key: str, content: int, fields: tuple, found: bool) -> None:
    """Keep a route under the content version; an address with no page only for a minute, so
    requests for made-up addresses cannot fill the cache."""
    cache.set(key, (content, *fields), ROUTE_SECONDS if found else MISS_SECONDS)


def resolve(request, content: int, cached) -> ShowRoute:
    """The route for this request: the cached one when it was read at this content version."""
    fields = recalled(cached, content, 3)
    if fields is not None:
        return ShowRoute(*fields)
    route = _read(request)
    remember(route_key(request), content, (route.show_id, route.public, route.site), route.show_id is not None)
    return route


def live_shows():
    """Live shows with everything their page shows beside the seats and prices, in one query."""
    return ShowPage.objects.filter(live=True).select_related("movie", "language", "screen__theater", "screen__seat_layout")


def site_and_url_path(request) -> tuple[Site | None, str | None]:
    """The request's site and the url_path its address maps to (None when no site serves it)."""
    site = Site.find_for_request(request)
    if site is None:
        return None, None
    root = next((p.root_path for p in Site.get_site_root_paths() if p.site_id == site.pk), None)
    if root is None:
        return site, None
    return site, root.rstrip("/") + request.path_info


def restricted_here():
    """Whether a view restriction covers the outer page: one on it or on an ancestor, whose
    path is a prefix of the page's path."""
    return Exists(PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path"))))


def _read(request) -> ShowRoute:
    site, url_path = site_and_url_path(request)
    if url_path is None:
        return ShowRoute(None, False, site)
    show = only_row(live_shows().annotate(restricted=restricted_here()).filter(url_path=url_path))  # one page per path
    if show is None:
        return ShowRoute(None, False, site)
    return ShowRoute(show.pk, not show.restricted and show.alias_of_id is None, site, show)
