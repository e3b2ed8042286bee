"""Movies: the index of everything playing and one page per film."""

from django import forms
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from cinema.choices import ADULTS_ONLY, AGE_NOTICES, CERTIFICATIONS
from cinema.models.theaters import chosen_city
from cinema.showtime_filters import ShowtimeFilters
from cinema.showtimes import filter_context, movie_cards, movie_showtimes, upcoming_shows
from cinema.trailers import trailer_embed_url


class MovieIndexPage(Page):
    """/movies/: every film on sale, newest first."""

    intro = models.CharField(max_length=250, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["cinema.MoviePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cities"], context["city"] = chosen_city(request)
        showing = now_showing_movies(city=context["city"] or None)
        showing_ids = {movie.pk for movie in showing}
        others = movie_cards(
            MoviePage.objects.child_of(self).live().exclude(pk__in=showing_ids).order_by("-release_date", "title")
        )
        context["now_showing"] = showing
        context["other_movies"] = Paginator(others, 12).get_page(request.GET.get("page"))
        return context


class MoviePage(Page):
    """One film: its details and every upcoming showtime, grouped by date then theater."""

    tagline = models.CharField(max_length=140, blank=True, help_text="One line shown on cards.")
    synopsis = RichTextField(features=["bold", "italic", "link"], blank=True)
    poster = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Portrait image, 2:3; shown on cards and tickets.",
    )
    runtime_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(600)], help_text="Used to stop shows overlapping on a screen."
    )
    certification = models.CharField(max_length=6, choices=CERTIFICATIONS, default="UA")
    languages = ParentalManyToManyField("cinema.Language", related_name="movies", help_text="Languages this film is shown in.")
    genres = ParentalManyToManyField("cinema.Genre", related_name="movies", blank=True)
    release_date = models.DateField(default=timezone.localdate)
    trailer_url = models.URLField(blank=True, help_text="A YouTube or Vimeo link; customers play it on the page.")

    content_panels = Page.content_panels + [
        FieldPanel("tagline"),
        MultiFieldPanel(
            [
                FieldPanel("poster"),
                FieldPanel("runtime_minutes"),
                FieldPanel("certification"),
                FieldPanel("release_date"),
            ],
            heading="Film",
        ),
        FieldPanel("synopsis"),
        FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("genres", widget=forms.CheckboxSelectMultiple),
        FieldPanel("trailer_url"),
        InlinePanel("credits", label="Cast and crew", heading="Cast and crew"),
    ]
    search_fields = Page.search_fields + [index.SearchField("synopsis"), index.SearchField("tagline")]
    parent_page_types = ["cinema.MovieIndexPage"]
    subpage_types = ["cinema.ShowPage"]

    class Meta:
        verbose_name = "movie"

    @property
    def runtime_display(self) -> str:
        hours, minutes = divmod(self.runtime_minutes or 0, 60)
        if hours:
            return gettext("%(hours)sh %(minutes)02dm") % {"hours": hours, "minutes": minutes}
        return gettext("%(minutes)sm") % {"minutes": minutes}

    @property
    def adults_only(self) -> bool:
        """Rated A: customers confirm they are 18 or older before holding seats."""
        return self.certification in ADULTS_ONLY

    @property
    def age_notice(self) -> str:
        """What a UA 13+ / UA 16+ rating means for parents; empty for other ratings."""
        return AGE_NOTICES.get(self.certification, "")

    @property
    def trailer_embed(self) -> str:
        return trailer_embed_url(self.trailer_url)

    def route(self, request, path_components):
        """Shows live at /movies/<movie>/shows/<slug>/: step over the "shows" segment."""
        if path_components and path_components[0] == "shows":
            if len(path_components) == 1:
                return RouteResult(self)
            path_components = path_components[1:]
        elif path_components:
            raise Http404  # a show has one address: /movies/<movie>/shows/<slug>/
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cities"], context["city"] = chosen_city(request)
        filters = ShowtimeFilters.from_query(request.GET)
        context["showtimes"] = movie_showtimes(self, city=context["city"] or None, filters=filters)
        context.update(filter_context(filters, upcoming_shows().filter(movie=self)))
        context["credits"] = self.credits.all()
        return context


class Credit(Orderable):
    """A cast or crew member, in the order the editor lists them."""

    movie = ParentalKey(MoviePage, on_delete=models.CASCADE, related_name="credits")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=60, help_text="Actor, Director, Music…")
    character = models.CharField(max_length=120, blank=True, help_text="For actors: the character they play.")

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("character")]

    def __str__(self):
        return f"{self.name} ({self.role})"


def now_showing_movies(city: str | None = None) -> list:
    """Movies with at least one bookable show ahead, in the city if one is given."""
    shows = upcoming_shows()
    if city:
        shows = shows.filter(screen__theater__city=city)
    movies = MoviePage.objects.live().filter(pk__in=shows.values("movie_id")).order_by("-release_date", "title")
    return list(movie_cards(movies))


def coming_soon_movies(exclude=()) -> list:
    """Movies released after today that are not on sale yet."""
    movies = MoviePage.objects.live().filter(release_date__gt=timezone.localdate()).exclude(pk__in=list(exclude))
    return list(movie_cards(movies.order_by("release_date", "title"))[:12])
