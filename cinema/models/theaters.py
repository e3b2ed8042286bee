"""Theaters and their screens. A screen's seats come from the seat layout it points at."""

from django import forms
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from cinema.choices import FORMATS, SCREEN_SUPPORTS
from cinema.showtime_filters import ShowtimeFilters
from cinema.showtimes import filter_context, theater_showtimes, upcoming_shows
from cinema.signals import screen_layout_changed
from cinema.theater_page_form import TheaterPageForm


class TheaterIndexPage(Page):
    """/theaters/: every theater, grouped by city."""

    intro = models.CharField(max_length=250, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["cinema.TheaterPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        theaters = TheaterPage.objects.child_of(self).live().order_by("city", "title").prefetch_related("screens", "amenities")
        cities: dict[str, list] = {}
        for theater in theaters:
            cities.setdefault(theater.city, []).append(theater)
        context["cities"] = cities
        return context


class TheaterPage(Page):
    """A cinema building: address, amenities and the screens shows are scheduled on."""

    base_form_class = TheaterPageForm
    city = models.CharField(max_length=80, db_index=True, help_text="Customers filter shows by city.")
    address = models.TextField()
    map_url = models.URLField(blank=True, help_text="Link to the theater on a map.")
    amenities = ParentalManyToManyField("cinema.Amenity", blank=True, related_name="theaters")
    legal_entity = models.ForeignKey(
        "cinema.LegalEntity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="theaters",
        help_text="The company whose GSTIN this theater's tax invoices carry (one per state).",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("city"), FieldPanel("address"), FieldPanel("map_url")], heading="Where"),
        FieldPanel("amenities", widget=forms.CheckboxSelectMultiple),
        FieldPanel("legal_entity"),
        InlinePanel("screens", label="Screen", heading="Screens", min_num=1),
    ]
    search_fields = Page.search_fields + [index.SearchField("city"), index.FilterField("city")]
    parent_page_types = ["cinema.TheaterIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "theater"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["screens"] = self.screens.select_related("seat_layout")
        filters = ShowtimeFilters.from_query(request.GET)
        context["showtimes"] = theater_showtimes(self, filters)
        context.update(filter_context(filters, upcoming_shows().filter(screen__theater=self)))
        return context


class Screen(Orderable):
    """An auditorium inside a theater. Shows are scheduled on screens."""

    theater = ParentalKey(TheaterPage, on_delete=models.CASCADE, related_name="screens")
    name = models.CharField(max_length=60, help_text="For example Screen 1 or IMAX.")
    format = models.CharField(max_length=5, choices=FORMATS, default="2D", help_text="The best format this screen can project.")
    seat_layout = models.ForeignKey("cinema.SeatLayout", on_delete=models.PROTECT, related_name="screens")

    panels = [FieldPanel("name"), FieldPanel("format"), FieldPanel("seat_layout")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["theater", "name"], name="unique_screen_name_per_theater")]

    def __str__(self):
        return f"{self.theater.title} — {self.name}"

    def supports(self, show_format: str) -> bool:
        return show_format in SCREEN_SUPPORTS.get(self.format, {"2D"})

    def save(self, *args, **kwargs):
        """Publishing a theater re-saves every screen (from the revision, not the database), so
        compare with the stored layout to resync shows only when it really changed."""
        stored = Screen.objects.filter(pk=self.pk).values_list("seat_layout_id", flat=True).first() if self.pk else None
        layout_changed = stored is not None and stored != self.seat_layout_id
        super().save(*args, **kwargs)
        if layout_changed:
            screen_layout_changed.send(sender=Screen, screen=self)  # ticketing resyncs its upcoming shows


# --- the city list every listing page offers -----------------------------------------------
def cities() -> list[str]:
    return list(TheaterPage.objects.live().order_by("city").values_list("city", flat=True).distinct())


def chosen_city(request) -> tuple[list[str], str]:
    """Every city with a theater, and the ?city= the customer picked if it is one of them."""
    all_cities = cities()
    city = request.GET.get("city", "")
    return all_cities, city if city in all_cities else ""
