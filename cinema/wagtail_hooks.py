"""Admin wiring: cinema snippets under one menu, and the showtime scheduler."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cinema.admin_views import SCHEDULE_PERMISSION, SchedulerView
from cinema.models import Amenity, Genre, Language, SeatLayout


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


class CinemaSnippets(SnippetViewSetGroup):
    menu_label = "Cinema"
    menu_icon = "media"
    menu_order = 210
    items = (SeatLayoutViewSet, GenreViewSet, LanguageViewSet, AmenityViewSet)


register_snippet(CinemaSnippets)


@hooks.register("register_admin_urls")
def register_scheduler_url():
    return [path("scheduler/", SchedulerView.as_view(), name="cinema_scheduler")]


class SchedulerMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(SCHEDULE_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_scheduler_menu_item():
    return SchedulerMenuItem("Show scheduler", reverse("cinema_scheduler"), icon_name="date", order=205)
