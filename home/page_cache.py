"""The show page as one cached response per show, version and deploy (docs/DESIGN.md §11).

The show page says the same to everyone (who is signed in is painted by static/js/session.js
from GET /api/session), so its rendered response is kept in the cache under the show's
content and seat versions and the deploy, valid until the page's next time boundary. This
middleware sits after SecurityMiddleware and WhiteNoise and before SessionMiddleware: a hit
answers without reading the session, the user or the database. A miss renders the page for
an anonymous visitor (the request's cookies are not passed on), so nothing personal can be
cached, and keeps the answer only when the render touched no cookie at all.

Each language has its own copy: the key names the language LocaleMiddleware would choose (the
switcher's cookie, else Accept-Language, else English), read here from the request alone, and
the miss renders in that language. LocaleMiddleware's `Vary: Accept-Language` is expected and
sent again on a hit; any other Vary still means the render read something personal.
"""

from __future__ import annotations

import hashlib
import time
from functools import cache as once

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from wagtail import hooks

from core import versions
from core.queries import only_row
from home import show_routes
from ticketing.models import SeatState, ShowSeat
from ticketing.services import companions

PAGE_SECONDS = 3600  # even with nothing changing, a page is rendered afresh once an hour
DROPPED_HEADERS = {"set-cookie", "content-length", "date", "vary"}
LANGUAGE_VARY = {"accept-language"}  # what LocaleMiddleware adds to every answer
# The assets base.html and show_page.html link: their URLs (hashed by a manifest storage)
# name the deploy, so a new deploy never serves a page pointing at old files.
ASSETS = ("css/marquee.css", "js/marquee.js", "js/session.js", "js/booking.js", "js/seatmap.js", "img/favicon.svg")


@once
def deploy_tag() -> str:
    urls = "|".join(static(asset) for asset in ASSETS)
    return hashlib.sha256(f"{settings.MARQUEE_VERSION}|{urls}".encode()).hexdigest()[:16]


def page_key(show_id: int, content: int, seats: int, language: str) -> str:
    return f"page:show:{show_id}:{content}:{seats}:{language}:{deploy_tag()}"


def request_language(request) -> str:
    """The language LocaleMiddleware will activate for this request, from its language cookie
    and Accept-Language only (no session, no database): one of settings.LANGUAGES."""
    return translation.get_language_from_request(request)


def render_as_nobody(request, language: str) -> None:
    """Drop the request's cookies (the session, user and CSRF cookie are not read) but keep its
    language, so LocaleMiddleware renders the copy the key names."""
    request.COOKIES = {settings.LANGUAGE_COOKIE_NAME: language}


def vary_by_language(response):
    patch_vary_headers(response, ("Accept-Language",))
    return response


def valid_until(show, now) -> float:
    """When the page may first say something else with nothing written: a hold it shows
    lapses (lazy expiry), booking opens or closes, companion seats are released, the show
    starts. A Unix time."""
    times = [now + timezone.timedelta(seconds=PAGE_SECONDS)]
    release = companions.kept_until(show.starts_at, now)
    times += [t for t in (show.booking_opens_at, show.booking_closes_at, show.starts_at, release) if t and t > now]
    held = ShowSeat.objects.filter(show_id=show.pk, state=SeatState.HELD, held_until__gte=now)
    first_lapse = held.aggregate(first=Min("held_until"))["first"]
    if first_lapse is not None:
        times.append(first_lapse)
    return min(times).timestamp()


def cacheable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    varies = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    if varies - LANGUAGE_VARY:  # the render read the session or varied on another header
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control


def content_and(key: str):
    """The content version and one more cache entry, in one round trip; (None, None) when the
    cache is unreachable."""
    found = cache.get_many([versions.CONTENT, key])
    content = found.get(versions.CONTENT)
    if content is None:
        content = versions.current(versions.CONTENT).get(versions.CONTENT)
    return content, found.get(key)


def keep(key: str, response, until: float) -> None:
    """Store a rendered answer (body and headers, not cookies or dates) valid until `until`."""
    headers = [(k, v) for k, v in response.items() if k.lower() not in DROPPED_HEADERS]
    timeout = max(1, int(until - time.time()) + 1)
    cache.set(key, {"body": response.content, "headers": headers, "until": until}, timeout)


def hit(key: str):
    """The stored answer under `key` if it is still valid, else None."""
    entry = cache.get(key)
    return replay(entry) if entry is not None and entry["until"] > time.time() else None


def replay(entry) -> HttpResponse:
    response = HttpResponse(entry["body"], status=200)
    for name, value in entry["headers"]:
        response[name] = value
    response["Content-Length"] = str(len(entry["body"]))  # CommonMiddleware, which sets it, is inside
    return vary_by_language(response)


class ShowPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or request.GET or not show_routes.SHOW_PATH.match(request.path_info):
            return self.get_response(request)
        content, cached_route = content_and(show_routes.route_key(request))
        if content is None:
            return self.get_response(request)  # the cache is unreachable: render as usual
        route = show_routes.resolve(request, content, cached_route)
        if route.show_id is None or not route.public:
            return self.get_response(request)  # Wagtail answers: 404, a login or password page
        seats = versions.current(versions.seats_key(route.show_id)).get(versions.seats_key(route.show_id))
        if seats is None:
            return self.get_response(request)
        language = request_language(request)
        key = page_key(route.show_id, content, seats, language)
        return hit(key) or self._render(request, route, key, language)

    def _render(self, request, route, key: str, language: str):
        show = route.show or only_row(show_routes.live_shows().filter(pk=route.show_id))
        if show is None:  # unpublished since the route was read
            return self.get_response(request)
        if route.site is not None:
            request._wagtail_site = route.site  # Wagtail's own per-request memo of Site.find_for_request
        now = timezone.now()
        render_as_nobody(request, language)
        request._marquee_show = show
        response = self.get_response(request)
        if cacheable(response):
            keep(key, response, valid_until(show, now))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Serve the show found above as wagtail.views.serve would, without its tree walk and
        without its on_serve_page chain, whose one link checks view restrictions: the route
        already did (a restricted show never comes this way)."""
        show = getattr(request, "_marquee_show", None)
        if show is None:
            return None
        for hook in hooks.get_hooks("before_serve_page"):
            result = hook(show, request, [], {})
            if isinstance(result, HttpResponse):
                return result
        return show.serve(request)
