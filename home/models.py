"""The home page, and the settings staff edit without a deploy (defined in the kernel)."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from cinema.models.movies import coming_soon_movies, now_showing_movies
from cinema.models.theaters import chosen_city
from core.booking_rules import BookingSettings  # noqa: F401  (registered under this app)


class HomePage(Page):
    """The front door: a hero, then now-showing and coming-soon rails for the chosen city."""

    hero_heading = models.CharField(max_length=120, default="Your seat is waiting")
    hero_text = models.CharField(max_length=250, blank=True, default="Book the best seats in town in under a minute.")
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Wide backdrop, 16:6.",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_heading"), FieldPanel("hero_text"), FieldPanel("hero_image")], heading="Hero")
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cinema.MovieIndexPage", "cinema.TheaterIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        all_cities, city = chosen_city(request)
        showing = now_showing_movies(city=city or None)
        context.update(
            cities=all_cities,
            city=city,
            now_showing=showing,
            coming_soon=coming_soon_movies(exclude=[m.pk for m in showing]),
        )
        return context
