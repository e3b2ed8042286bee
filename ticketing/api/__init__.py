"""The JSON API (django-ninja) at /api/: shows, seat maps, menus, holds, bookings, their food
and drinks, and promo codes.

A contract other clients rely on: paths and shapes stay as published in /api/openapi.json
(its `info.version` is the project's version; breaking changes are listed in docs/api.md).
Decimals travel as strings in rupees, times as ISO 8601 in IST. Session auth: the `sessionid`
cookie, plus the `csrftoken` cookie's value in an `X-CSRFToken` header on POST, PUT and DELETE.
Every refusal comes back as {"detail": "...", ...} with a 4xx (503: the payment service is not
answering), never a 500; each operation declares every status it can answer.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Header, Query, Status
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth
from pydantic import ConfigDict, StringConstraints, field_validator

from cinema.models import ShowPage
from cinema.showtime_filters import ShowtimeFilters
from core import auth_copy
from core.queries import only_row
from ticketing.api.cancellation import CANCEL_BODY, cancel_choice
from ticketing.api.contract import MarqueeAPI, refusals
from ticketing.api.hold_auth import hold_auth
from ticketing.api.schemas import (
    BookingDetailOut,
    BookingOut,
    HoldOut,
    ItemIn,
    MenuItemOut,
    PayOut,
    Schema,
    SeatConflict,
    SeatMapOut,
    ShowOut,
    SoldOut,
    UnknownItems,
    UnknownSeats,
)
from ticketing.errors import AgeNotConfirmed, BookingError, RateLimited
from ticketing.models import Booking, BookingChannel, BookingItem, BookingState, FoodPickup, SeatState
from ticketing.services import booking_items, cancellation, checkout, holds, menu, promos, seat_etag, seat_states
from ticketing.services.business_buyer import business_buyer
from ticketing.services.item_lines import item_lines
from ticketing.services.pricing import price_seats, shown_price
from ticketing.services.tax_documents import tax_documents_api

api = MarqueeAPI(title="Marquee API", version=settings.MARQUEE_VERSION, urls_namespace="api", description=__doc__)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Patterns keep control characters (PostgreSQL refuses NUL) and junk out before any query.
SeatLabel = Annotated[str, StringConstraints(min_length=1, max_length=8, pattern=r"^[A-Za-z0-9]+$")]
IfNoneMatch = Annotated[
    str | None,
    Header(
        alias="If-None-Match",
        max_length=2000,
        description="The `ETag` of the seat map you have: answered 304, with no body, while it is still current.",
    ),
]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class HoldIn(Strict):
    seats: list[SeatLabel] = Field(..., min_length=1, max_length=20, description='Seat labels, e.g. ["A1", "A2"].')
    age_confirmed: bool = Field(
        False,
        description="The customer confirms they are 18 or older. Required (true) for a film rated A, "
        "else the hold is refused with 400 `age_confirmation_required`; recorded on the booking.",
    )


class PayIn(Strict):
    use_wallet: bool = Field(False, description="Pay what the wallet covers from it; the rest through the gateway.")
    business_gstin: str = Field("", max_length=20, description="For a business invoice: your GSTIN (15 characters).")
    business_name: str = Field("", max_length=200, description="For a business invoice: the name registered with that GSTIN.")


class PromoIn(Strict):
    code: str = Field(..., min_length=1, max_length=30, pattern=r"^\s*[A-Za-z0-9_-]+\s*$")


class ItemsIn(Strict):
    items: list[ItemIn] = Field(
        ..., max_length=30, description="The booking's food and drinks (replaces what it had; [] removes them)."
    )


class ShowsQuery(Schema):
    date: dt.date | None = Field(None, description="Shows on this day (IST), as YYYY-MM-DD.", examples=["2026-12-24"])
    movie: str | None = Field(None, max_length=255, pattern=r"^[^\x00-\x20]+$", description="The movie page's slug.")
    city: str | None = Field(None, max_length=80, pattern=r"^[^\x00-\x1f]+$")
    language: str | None = Field(None, max_length=40, pattern=r"^[^\x00-\x1f]+$", description="A language's name, any case.")
    format: Literal["2D", "3D", "IMAX", "4DX"] | None = None
    accessibility: Literal["cc", "audio_description", "sensory_friendly"] | None = Field(
        None, description="Only shows with this accessibility tag."
    )
    time: Literal["morning", "matinee", "evening", "night"] | None = Field(
        None,
        description="Start time in IST: morning 6 am–12 pm, matinee 12–4 pm, evening 4–8 pm, night 8 pm–6 am.",
    )

    @field_validator("date", mode="before")
    @classmethod
    def iso_date_only(cls, value):
        """Pydantic would also read "0" or "1700000000" as a timestamp; the schema says a date."""
        if isinstance(value, str) and not ISO_DATE.fullmatch(value):
            raise ValueError("use a date as YYYY-MM-DD")
        return value


# --- errors -------------------------------------------------------------------------------
@api.exception_handler(BookingError)
def booking_error(request, exc: BookingError):
    response = api.create_response(request, {"detail": exc.message, "code": exc.code, **exc.extra}, status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "filters"))
        message = "has characters that are not allowed" if error.get("type") == "string_pattern_mismatch" else error.get("msg")
        problems.append(f"{where}: {message}" if where else message or "invalid")
    return api.create_response(
        request, {"detail": "; ".join(problems) or gettext("Invalid request."), "errors": problems}, status=422
    )


@api.exception_handler(AuthenticationError)
def not_signed_in(request, exc):
    return api.create_response(request, {"detail": gettext("Please sign in first.")}, status=401)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or gettext("Not found.")}, status=404)


# --- helpers ------------------------------------------------------------------------------
def _check_show_id(show_id: int) -> None:
    if not 0 < show_id < 2**31:  # ids beyond any real row (and beyond SQLite's integers)
        raise Http404(gettext("No such show."))


def _show(show_id: int, *related: str) -> ShowPage:
    """A live show; join only what the endpoint reads (a nine-table join costs ms to plan)."""
    _check_show_id(show_id)
    show = ShowPage.objects.live().select_related(*related).filter(pk=show_id).first()
    if show is None:
        raise Http404(gettext("No such show."))
    return show


def _own_bookings(request, reference: str):
    """Another customer's booking is indistinguishable from one that does not exist; so is a
    counter sale, even to the staff member who sold it. A gift card's purchase is read, paid
    and let go here like a booking; seat, food, promo and cancel endpoints refuse it (400)."""
    if not reference.isascii() or not reference.isalnum():
        raise Http404(gettext("No such booking."))
    return Booking.objects.filter(reference=reference[:12], user=request.user, channel=BookingChannel.ONLINE)


def _own_booking(request, reference: str, gift_card_ok: bool = False) -> Booking:
    booking = only_row(_own_bookings(request, reference).select_related("show", "promo"))
    if booking is None:
        raise Http404(gettext("No such booking."))
    if booking.is_gift_card and not gift_card_ok:
        raise BookingError(gettext("This is a gift card purchase: it has no seats, food or promo code to change."))
    return booking


def booking_out(booking: Booking, warnings: list[str] | None = None, priced=None) -> dict:
    """``priced``: the booking's quote when the caller already has it (the hold path)."""
    data = {
        "reference": booking.reference,
        "state": booking.state,
        "show": booking.show_id,
        "seats": booking.seats,
        "held_until": timezone.localtime(booking.held_until).isoformat() if booking.held_until else None,
        "promo_code": booking.promo.code if booking.promo_id else None,
        "quote": priced.as_api() if priced else _quote_of(booking),
    }
    data.update(_items_of(booking))
    if warnings is not None:
        data["warnings"] = warnings
    return data


def _items_of(booking: Booking) -> dict:
    """Food and drinks, read only for a booking that has some."""
    if not booking.has_items:
        return {"items": [], "pickup_code": None}
    rows = BookingItem.objects.filter(booking_id=booking.pk).order_by("id").values_list("sku", "name", "quantity", "amount")
    items = [{"sku": sku, "name": name, "quantity": qty, "amount": str(amount)} for sku, name, qty, amount in rows]
    code = None
    if booking.state == BookingState.CONFIRMED:
        code = FoodPickup.objects.filter(booking_id=booking.pk).values_list("code", flat=True).first()
    return {"items": items, "pickup_code": code}


def _quote_of(booking: Booking) -> dict:
    price = shown_price(booking)
    return price if isinstance(price, dict) else price.as_api()


def _rate_limit(user) -> None:
    limit = settings.MARQUEE_HOLD_RATE
    if not limit:
        return
    key = f"hold-rate:{user.pk}:{int(timezone.now().timestamp() // 60)}"
    try:
        count = cache.incr(key)  # one round trip once the minute's counter exists
    except ValueError:
        count = 1 if cache.add(key, 1, timeout=90) else cache.incr(key)
    if count > limit:
        raise RateLimited(gettext("Too many seat changes in a minute. Please wait a moment and try again."))


def _one_value_each(request, names) -> None:
    """`?city=a&city=b` would quietly use the last; each filter is one value (a 422 otherwise)."""
    repeated = [name for name in names if len(request.GET.getlist(name)) > 1]
    if repeated:
        raise ValidationError([{"loc": ("query", name), "msg": "give one value, not several"} for name in repeated])


# --- shows --------------------------------------------------------------------------------
@api.get(
    "/shows",
    response={200: list[ShowOut], **refusals(422)},
    summary="Shows on sale, by date, movie, city, language, format, accessibility and time of day",
)
def list_shows(request, filters: Query[ShowsQuery]):
    _one_value_each(request, ShowsQuery.model_fields)
    now = timezone.now()
    shows = ShowPage.objects.live().select_related("movie", "screen__theater", "language").order_by("starts_at")
    if filters.date:
        start = timezone.make_aware(dt.datetime.combine(filters.date, dt.time.min))
        shows = shows.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
    else:
        shows = shows.filter(starts_at__gt=now)
    if filters.movie:
        shows = shows.filter(movie__slug=filters.movie)
    if filters.city:
        shows = shows.filter(screen__theater__city__iexact=filters.city)
    shows = ShowtimeFilters(
        language=filters.language or "",
        format=filters.format or "",
        accessibility=filters.accessibility or "",
        time=filters.time or "",
    ).apply(shows)
    free = Q(seats__state=SeatState.AVAILABLE) | Q(seats__state=SeatState.HELD, seats__held_until__lt=now)
    shows = shows.annotate(seats_total=Count("seats"), seats_available=Count("seats", filter=free))[:500]
    return [
        {
            "id": show.pk,
            "movie": show.movie.title,
            "theater": show.screen.theater.title,
            "screen": show.screen.name,
            "starts_at": timezone.localtime(show.starts_at).isoformat(),
            "language": show.language.name,
            "format": show.format,
            "status": show.status,
            "seats_total": show.seats_total,
            "seats_available": show.seats_available,
            "url": show.get_full_url(request),
            "accessibility": show.accessibility_keys,
        }
        for show in shows
    ]


@api.get(
    "/shows/{show_id}/seats",
    response={200: SeatMapOut, 304: None, **refusals(404, 422)},
    summary="A show's seat map with live states",
)
def show_seats(request, show_id: int, response: HttpResponse, if_none_match: IfNoneMatch = None):
    """Everyone without a hold gets the same bytes, kept per show and versions
    (services/seat_states.py); a customer holding seats gets them marked and their hold."""
    _check_show_id(show_id)
    now = timezone.now()
    current = seat_etag.versions(show_id)
    kept = seat_etag.still_current(if_none_match or "", show_id, current, seat_etag.viewer_of(request), now)
    if kept:
        return _revalidated(HttpResponseNotModified(), kept)
    public = seat_states.public_seats(show_id, current, now)
    if public is None:
        raise Http404(gettext("No such show."))
    user = request.user if request.user.is_authenticated else None
    hold = None
    if user is not None and user.pk in public.holders:  # a customer the copy shows no hold of has none
        hold = only_row(
            Booking.objects.select_related("promo", "show").filter(user=user, show_id=show_id, state=BookingState.HELD)
        )
        if hold and hold.held_until and hold.held_until < now:
            hold = None
    etag = None
    if current is not None:
        boundary = seat_etag.next_boundary(now, (*public.moments, hold.held_until if hold else None))
        etag = seat_etag.tag(show_id, current, seat_etag.viewer(user), boundary)
    if hold is None:
        return _revalidated(HttpResponse(public.body, content_type="application/json"), etag)
    # Only the hold is validated and dumped as django-ninja would; the seats come from the copy.
    payload = seat_states.with_hold(public, hold.pk)
    payload["hold"] = BookingOut.model_validate(booking_out(hold)).model_dump()
    return api.create_response(request, payload, temporal_response=_revalidated(response, etag))


def _revalidated(response: HttpResponse, etag: str | None) -> HttpResponse:
    """Every answer is checked again before reuse (no-cache), kept out of shared caches (the
    hold is personal)."""
    response["Cache-Control"] = "private, no-cache"
    if etag:
        response["ETag"] = etag
    return response


# --- holds and bookings -------------------------------------------------------------------
@api.post(
    "/shows/{show_id}/holds",
    auth=hold_auth,
    response={201: HoldOut, 400: UnknownSeats, 409: SeatConflict, **refusals(401, 403, 404, 422, 429)},
    summary="Hold seats (replaces your earlier hold)",
)
def create_hold(request, show_id: int, payload: HoldIn):
    user = request.auth  # the customer itself (ticketing/api/hold_auth.py), not the lazy request.user
    _rate_limit(user)
    _check_show_id(show_id)
    with holds.hold_reads(user, show_id, known=auth_copy.first_reads(request)):
        show = holds.ShowFacts.load(show_id)
        if show is None or not show.live:
            raise Http404(gettext("No such show."))
        try:
            result = holds.hold_seats(user, show, payload.seats, age_confirmed=payload.age_confirmed)
        except AgeNotConfirmed as refusal:
            refusal.message += " " + gettext('Send "age_confirmed": true with the hold once the customer has confirmed it.')
            raise
        booking = result.booking
        priced = price_seats(
            show, result.categories, promo=booking.promo if booking.promo_id else None, items=item_lines(booking)
        )
    return Status(201, booking_out(booking, warnings=result.warnings, priced=priced))


@api.get("/shows/{show_id}/menu", response={200: list[MenuItemOut], **refusals(404, 422)}, summary="A show's food and drinks")
def show_menu(request, show_id: int):
    """The menu of the show's theater, at its prices before GST, with the rate each is taxed at."""
    show = _show(show_id)
    return [
        {
            "sku": offer.item.sku,
            "name": offer.item.name,
            "description": offer.item.description,
            "price": str(offer.price),
            "gst_rate": str(offer.gst_rate),
            "veg": offer.item.diet == "veg",
            "category": offer.item.category,
            "available": offer.available,
            "image": _image_url(offer.item),
        }
        for offer in menu.show_menu(show)
    ]


def _image_url(item) -> str | None:
    if item.image is None:
        return None
    try:
        return item.image.get_rendition("fill-320x240").url
    except Exception:  # a missing or broken file leaves the item without a picture
        return None


@api.put(
    "/bookings/{reference}/items",
    auth=django_auth,
    response={200: BookingOut, 400: UnknownItems, 409: SoldOut, **refusals(401, 403, 404, 422)},
    summary="Set your held booking's food and drinks",
)
def put_items(request, reference: str, payload: ItemsIn):
    """Replaces the booking's items; only while its seats are held. 409 names an item the
    theater has too few of; stock is taken when you pay."""
    wanted = [(item.sku, item.quantity) for item in payload.items]
    return booking_out(booking_items.set_items(_own_booking(request, reference), wanted))


@api.get(
    "/bookings/{reference}",
    auth=django_auth,
    response={200: BookingDetailOut, **refusals(401, 404)},
    summary="One of your bookings with its quote, tax invoice and credit notes",
)
def get_booking(request, reference: str):
    booking = _own_booking(request, reference, gift_card_ok=True)
    return {**booking_out(booking), **tax_documents_api(booking)}


@api.delete(
    "/bookings/{reference}/hold",
    auth=django_auth,
    response={204: None, **refusals(400, 401, 403, 404)},
    summary="Let your held seats go",
)
def delete_hold(request, reference: str):
    holds.release_hold(_own_booking(request, reference, gift_card_ok=True))
    return Status(204, None)


@api.post(
    "/bookings/{reference}/promo",
    auth=django_auth,
    response={200: BookingOut, **refusals(400, 401, 403, 404, 422)},
    summary="Add a promo code",
)
def add_promo(request, reference: str, payload: PromoIn):
    return booking_out(promos.apply_promo(_own_booking(request, reference), payload.code))


@api.delete(
    "/bookings/{reference}/promo",
    auth=django_auth,
    response={200: BookingOut, **refusals(400, 401, 403, 404)},
    summary="Remove the promo code",
)
def delete_promo(request, reference: str):
    return booking_out(promos.remove_promo(_own_booking(request, reference)))


@api.post(
    "/bookings/{reference}/pay",
    auth=django_auth,
    response={200: PayOut, **refusals(400, 401, 403, 404, 409, 422, 503)},
    summary="Pay: wallet, gateway, or both",
    exclude_unset=True,  # a wallet-only payment has no gateway fields at all
)
def pay(request, reference: str, payload: PayIn):
    business = business_buyer(payload.business_gstin, payload.business_name)
    result = checkout.pay_own_booking(_own_bookings(request, reference), use_wallet=payload.use_wallet, business=business)
    if result is None:
        raise Http404(gettext("No such booking."))
    data = booking_out(result.booking)
    data.update(result.gateway)
    return data


@api.post(
    "/bookings/{reference}/cancel",
    auth=django_auth,
    response={200: BookingOut, **refusals(400, 401, 403, 404, 409, 422)},
    summary="Cancel a confirmed booking or some of its seats (refund by the policy's tiers)",
    openapi_extra=CANCEL_BODY,
)
def cancel(request, reference: str):
    choice = cancel_choice(request)  # read by hand: an empty body (the whole booking) stays valid
    booking = _own_booking(request, reference)
    return booking_out(cancellation.cancel_by_customer(booking, choice.seats, choice.to))


api.add_router("", "ticketing.api.checkin.router")  # POST /api/checkin, staff at the door
api.add_router("", "ticketing.api.cancellation.router")  # GET …/cancellation, the refund preview
api.add_router("", "ticketing.api.session.router")  # GET /api/session, who is signed in
api.add_router("", "ticketing.api.counter.router")  # /api/counter/…, the box office counter
api.add_router("", "ticketing.api.gift_cards.router")  # /api/gift-cards…, buy and redeem

__all__ = ["api"]
