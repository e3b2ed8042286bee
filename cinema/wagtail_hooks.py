"""Admin wiring: cinema snippets under one menu, and the showtime scheduler."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cinema.admin_views import SchedulerView
from cinema.models import (
    Amenity,
    ConcessionItem,
    Genre,
    Holiday,
    Language,
    LegalEntity,
    MoviePage,
    PriceCard,
    SeatLayout,
    ShowPage,
    TaxWaiver,
    TheaterPage,
)
from cinema.permissions import SCHEDULE_SHOWS
from cinema.repricing import reprice_future_shows, screens_of_card
from core.admin_kit import PermissionMenuItem


class SeatLayoutViewSet(SnippetViewSet):
    model = SeatLayout
    icon = "grip"
    list_display = ["name", "capacity"]
    search_fields = ["name"]


class GenreViewSet(SnippetViewSet):
    model = Genre
    icon = "tag"


class LanguageViewSet(SnippetViewSet):
    model = Language
    icon = "globe"


class AmenityViewSet(SnippetViewSet):
    model = Amenity
    icon = "pick"


class ConcessionItemViewSet(SnippetViewSet):
    model = ConcessionItem
    icon = "pick"
    menu_label = "Food and drinks"
    list_display = ["name", "sku", "category", "price", "active"]
    list_filter = ["category", "active", "diet"]
    search_fields = ["name", "sku"]


class LegalEntityViewSet(SnippetViewSet):
    model = LegalEntity
    icon = "doc-full"
    list_display = ["legal_name", "gstin", "state_code", "invoice_prefix"]
    search_fields = ["legal_name", "gstin"]


class TaxWaiverViewSet(SnippetViewSet):
    model = TaxWaiver
    icon = "date"
    list_display = ["movie", "state_code", "starts_on", "ends_on"]


class PriceCardViewSet(SnippetViewSet):
    model = PriceCard
    icon = "table"
    list_display = ["name", "applies_to", "updated_at"]
    search_fields = ["name"]


class HolidayViewSet(SnippetViewSet):
    model = Holiday
    icon = "date"
    list_display = ["date", "name"]


class CinemaSnippets(SnippetViewSetGroup):
    menu_label = "Cinema"
    menu_icon = "media"
    menu_order = 210
    items = (
        SeatLayoutViewSet,
        PriceCardViewSet,
        HolidayViewSet,
        GenreViewSet,
        LanguageViewSet,
        AmenityViewSet,
        ConcessionItemViewSet,
        LegalEntityViewSet,
        TaxWaiverViewSet,
    )


register_snippet(CinemaSnippets)


@hooks.register("register_admin_urls")
def register_scheduler_url():
    return [path("scheduler/", SchedulerView.as_view(), name="cinema_scheduler")]


@hooks.register("register_admin_menu_item")
def register_scheduler_menu_item():
    return PermissionMenuItem(
        "Show scheduler", reverse("cinema_scheduler"), icon_name="date", order=205, permission=SCHEDULE_SHOWS
    )


@hooks.register("register_page_header_buttons")
def schedule_shows_button(page, user, view_name, next_url=None):
    """A "Schedule shows" shortcut on each movie, pre-filled with that movie."""
    if page.specific_class is MoviePage and user.has_perm(SCHEDULE_SHOWS):
        yield Button("Schedule shows", f"{reverse('cinema_scheduler')}?movie={page.pk}", icon_name="date", priority=16)


@hooks.register("before_delete_page")
def refuse_deleting_theaters_with_shows(request, page):
    """Shows point at a theater's screens; deleting it would orphan them (and the database
    refuses). Tell the editor what to do instead."""
    if isinstance(page, TheaterPage) and ShowPage.objects.filter(screen__theater=page).exists():
        messages.error(
            request,
            f"“{page.title}” has shows scheduled on its screens. Cancel or delete those shows first, or unpublish the theater.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


def _reprice_after_commit(request, screen_ids):
    """Once the card (or holiday) is committed, re-price and tell the editor what happened."""

    def reprice():
        messages.info(request, reprice_future_shows(screen_ids).message())

    transaction.on_commit(reprice)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def reprice_after_card_change(request, instances):
    """A card prices its theater's or screen's shows; a holiday date prices every screen's."""
    instances = instances if isinstance(instances, list | tuple) else [instances]
    cards = [each for each in instances if isinstance(each, PriceCard)]
    if cards:
        _reprice_after_commit(request, {pk for card in cards for pk in screens_of_card(card)})
    elif any(isinstance(each, Holiday) for each in instances):
        _reprice_after_commit(request, None)
