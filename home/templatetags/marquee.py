"""Template helpers for the customer pages: rupees the Indian way and showtimes in IST.

Pure formatting, no database access except the two small site-wide look-ups at the bottom
(the header navigation and the list of cities), each a single query.
"""

from __future__ import annotations

from html import escape as _escape  # the stdlib's: Django's lazy-aware wrapper costs 3× on 250 seats

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from wagtail.models import Page

from cinema.models import MovieIndexPage, TheaterIndexPage
from cinema.models.theaters import cities
from core.formatting import (  # the filters below are these plain functions
    daymonth,
    dayname,
    inr,
    is_future,
    isodate,
    relday,
    showdate,
    showdatetime,
    showtime,
)
from ticketing.services.seatmap import category_descriptions, seat_map_for_layout

register = template.Library()

for _filter in (inr, showtime, showdate, showdatetime, relday, dayname, daymonth, is_future, isodate):
    register.filter(_filter)


# --- shows and seats ------------------------------------------------------------------------
SEAT_STATES = {
    "available": pgettext_lazy("seat state", "available"),
    "held": pgettext_lazy("seat state", "on hold"),
    "sold": pgettext_lazy("seat state", "sold"),
    "blocked": pgettext_lazy("seat state", "not for sale"),
}


@register.filter
def seat_state_label(state) -> str:
    """What a screen reader says about a seat's state: "available", "sold", …"""
    return str(SEAT_STATES.get(state, state or ""))


_WHEELCHAIR_ICON = '<svg aria-hidden="true" focusable="false"><use href="#i-wheelchair"></use></svg>'


class SeatWords:
    """The words of a seat's screen-reader label, translated once per seat map: looked up for
    every seat, gettext's walk through the catalogs was half of an uncached show page's time."""

    def __init__(self):
        self.seat = gettext("Seat %(label)s")
        self.wheelchair = gettext("wheelchair space")
        self.companion = gettext("companion seat")
        self.companion_with = gettext("companion seat, only together with wheelchair space %(seat)s")
        self.states = {state: str(label) for state, label in SEAT_STATES.items()}


def seat_aria_label(seat, price_text: str | None, words: SeatWords | None = None) -> str:
    """What a screen reader says for one seat: "Seat F12, Prime, ₹250.00, available"."""
    words = words or SeatWords()
    parts = [words.seat % {"label": seat.label}, seat.category]
    if price_text is not None:
        parts.append(price_text)
    if seat.wheelchair:
        parts.append(words.wheelchair)
    kept_with = getattr(seat, "kept_with", None)
    if kept_with is not None:
        parts.append(words.companion_with % {"seat": kept_with} if kept_with else words.companion)
    state = seat.public_state
    parts.append(words.states.get(state, state or ""))
    return ", ".join(parts)


@register.simple_tag
def seat_rows(seat_map) -> str:
    """The seat map's rows as HTML, built in one Python loop with every value escaped.

    The same markup as a template loop would give, about forty times faster: on a 250-seat
    show the template engine spent ~45 ms on ~18,000 variable look-ups, most of the page's
    time (bench/seat_map.py). seatmap.js reads the data-* attributes.
    """
    prices: dict = {}
    out: list[str] = []
    row_name = gettext("Row %(row)s")
    words = SeatWords()
    for row in seat_map.grid:
        if row["walkway"]:
            out.append('<div class="seatrow seatrow--walkway" aria-hidden="true"></div>\n')
            continue
        row_label = _escape(row["label"])
        edge = f'<span class="seatrow__label" aria-hidden="true">{row_label}</span>'
        row_aria = row_name % {"row": row_label}
        out.append(f'<div class="seatrow" role="group" aria-label="{row_aria}">{edge}')
        for seat in row["cells"]:
            if seat is None:
                out.append('<span class="gap"></span>')
                continue
            price = getattr(seat, "price", None)
            if price is not None and price not in prices:
                prices[price] = inr(price)
            state = _escape(seat.public_state)
            wheelchair = " s-wheelchair" if seat.wheelchair else ""
            if getattr(seat, "kept_with", None) is not None:
                wheelchair = " s-companion"
            face = _WHEELCHAIR_ICON if seat.wheelchair else int(seat.number)
            out.append(
                f'<button type="button" class="seat t{int(seat.tier)} s-{state}{wheelchair}" '
                f'data-label="{_escape(seat.label)}" data-state="{state}" data-category="{_escape(seat.category)}" '
                f'aria-label="{_escape(seat_aria_label(seat, prices.get(price), words))}" disabled>{face}</button>'
            )
        out.append(f"{edge}</div>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.filter
def booking_state(show) -> str:
    """Why a show can or cannot be booked: open, not_yet, closed, sold_out or cancelled."""
    if show.status in ("cancelled", "sold_out"):
        return show.status
    if show.is_bookable():
        return "open"
    if show.booking_opens_at and timezone.now() < show.booking_opens_at and timezone.now() < show.starts_at:
        return "not_yet"
    return "closed"


# --- languages -----------------------------------------------------------------------------
@register.simple_tag
def html_lang() -> str:
    """The active language as <html lang> wants it (BCP 47): "en-IN", "hi"."""
    language, _, region = translation.get_language().partition("-")
    return f"{language}-{region.upper()}" if region else language


@register.simple_tag
def js_catalog_url() -> str:
    """The JavaScript catalog of the active language, its address naming the deploy."""
    url = reverse("js_catalog", args=[translation.get_language()])
    return f"{url}?v={settings.MARQUEE_VERSION}"


# --- site-wide look-ups ----------------------------------------------------------------------
@register.simple_tag(takes_context=True)
def main_nav(context) -> list:
    """The live movie and theater index pages for the header, in one query per request."""
    request = context.get("request")
    cached = getattr(request, "_marquee_nav", None) if request is not None else None
    if cached is not None:
        return cached
    pages = list(Page.objects.live().type(MovieIndexPage, TheaterIndexPage).order_by("path"))
    for page in pages:
        page.nav_kind = "movies" if page.specific_class is MovieIndexPage else "theaters"
    if request is not None:
        request._marquee_nav = pages
    return pages


@register.simple_tag
def city_choices() -> list[str]:
    """Every city with a live theater, for pages whose context does not carry the list."""
    return cities()


@register.simple_tag
def layout_seat_map(layout, source=None):
    """A compiled seat layout in the customer seat map's shape (the admin preview). ``source``
    is the SeatLayout snippet, for the category descriptions customers see in the legend."""
    descriptions = category_descriptions(source) if source is not None else None
    return seat_map_for_layout(layout, descriptions)
