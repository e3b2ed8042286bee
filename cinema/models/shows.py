"""Showtimes. A ShowPage lives under its movie and owns one ShowSeat row per seat."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from cinema.booking_window import closed_reason
from cinema.choices import ACCESSIBILITY, FORMATS
from cinema.priced_by_panel import PricedByPanel
from cinema.show_page_form import ShowPageForm
from cinema.show_rules import (
    LONGEST_RUNTIME,
    busy_until,
    cleaning_buffer,
    describe_clash,
    movie_has_language,
    overlapping,
    show_identity,
)
from cinema.signals import show_screen_changed


class ShowStatus(models.TextChoices):
    ON_SALE = "on_sale", _("On sale")
    SOLD_OUT = "sold_out", _("Sold out")
    CANCELLED = "cancelled", _("Cancelled")


class ShowPage(Page):
    """One screening of a movie on a screen. Title and URL are written from its facts:
    /movies/<movie>/shows/2026-11-21-1930-<theater>-<screen>/."""

    movie = models.ForeignKey(
        "cinema.MoviePage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="shows",
        editable=False,
        help_text="Always the parent movie page.",
    )
    screen = models.ForeignKey("cinema.Screen", on_delete=models.PROTECT, related_name="shows")
    starts_at = models.DateTimeField(db_index=True, help_text="Start time (India Standard Time).")
    language = models.ForeignKey("cinema.Language", on_delete=models.PROTECT, related_name="shows")
    format = models.CharField(max_length=5, choices=FORMATS, default="2D")
    status = models.CharField(max_length=10, choices=ShowStatus.choices, default=ShowStatus.ON_SALE, db_index=True)
    booking_opens_at = models.DateTimeField(null=True, blank=True, help_text="Leave empty to open booking on publishing.")
    booking_closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty to close booking when the show starts."
    )
    max_per_booking = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(20)], help_text="Most seats one customer may book."
    )
    captions = models.BooleanField("captions (CC)", default=False, help_text="Shown with on-screen captions.")
    audio_description = models.BooleanField(default=False, help_text="Audio description on headsets for blind viewers.")
    sensory_friendly = models.BooleanField(
        default=False, help_text="Lights up, sound down, freedom to move: for autistic and sensory-sensitive viewers."
    )

    base_form_class = ShowPageForm
    content_panels = [
        MultiFieldPanel(
            [
                FieldPanel("screen"),
                FieldPanel("starts_at"),
                FieldRowPanel([FieldPanel("language"), FieldPanel("format")]),
                FieldPanel("status"),
            ],
            heading="Showtime",
        ),
        InlinePanel(
            "prices",
            label="Price",
            heading="Ticket prices (₹ per seat, before GST)",
            help_text="Leave a category out to take its price from the screen's or theater's price card; "
            "a price typed here overrides the card and is never re-priced.",
        ),
        PricedByPanel(heading="Priced by"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("booking_opens_at"), FieldPanel("booking_closes_at")]), FieldPanel("max_per_booking")],
            heading="Booking window",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("captions"), FieldPanel("audio_description"), FieldPanel("sensory_friendly")])],
            heading="Accessibility",
        ),
    ]
    promote_panels: list = []
    # Shows are found through their movie and theater, not the site search; indexing each
    # one would triple the cost of scheduling a week of shows.
    search_fields: list = []
    # Shows only point at their own screen, language and movie; tracking those references
    # for every one of thousands of shows doubles the cost of each save for no admin benefit.
    wagtail_reference_index_ignore = True
    parent_page_types = ["cinema.MoviePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "show"
        permissions = [("schedule_shows", "Can schedule shows in bulk")]
        indexes = [models.Index(fields=["screen", "starts_at"])]

    @property
    def accessibility_tags(self) -> list[str]:
        """The labels of the accessibility tags this show carries, e.g. ["Captions (CC)"]."""
        return [str(label) for _, label, field, _ in ACCESSIBILITY if getattr(self, field)]

    @property
    def accessibility_keys(self) -> list[str]:
        """The same tags as the API and the filters name them, e.g. ["cc"]."""
        return [key for key, _, field, _ in ACCESSIBILITY if getattr(self, field)]

    @property
    def accessibility_short(self) -> str:
        """The tags as a showtime chip says them: "CC · AD"."""
        return " · ".join(str(short) for _, _, field, short in ACCESSIBILITY if getattr(self, field))

    # --- identity -----------------------------------------------------------------------
    def set_url_path(self, parent):
        """Insert the "shows/" segment that MoviePage.route() steps over."""
        if parent:
            self.url_path = f"{parent.url_path}shows/{self.slug}/"
        else:
            super().set_url_path(parent)
        return self.url_path

    def _set_core_field_defaults(self):
        """Runs before every save's validation, draft or live: derive movie, title and slug."""
        if not self.movie_id and self.path:
            self.movie = self.get_parent().specific
        if self.movie_id and self.screen_id and self.starts_at:
            self.title, self.slug = show_identity(self.movie, self.screen, self.starts_at)
            self.draft_title = self.title
        super()._set_core_field_defaults()

    def clean(self):
        super().clean()
        if self.movie_id and self.screen_id and self.starts_at:
            problems = check_show_rules(self)
            if problems:
                raise ValidationError(problems)

    def save(self, *args, **kwargs):
        """A new show gets its seats; a show moved to another screen is resynced. Publishing
        or re-saving an unchanged show does not touch its inventory."""
        update_fields = kwargs.get("update_fields")
        if self.pk is None:
            screen_changed = True
        elif update_fields is not None and "screen" not in update_fields:
            screen_changed = False
        else:
            stored = ShowPage.objects.filter(pk=self.pk).values_list("screen_id", flat=True).first()
            screen_changed = stored != self.screen_id
        super().save(*args, **kwargs)
        if screen_changed:
            show_screen_changed.send(sender=ShowPage, show=self)  # ticketing syncs the seat inventory

    # --- reading --------------------------------------------------------------------------
    @property
    def theater(self):
        return self.screen.theater

    @property
    def ends_at(self):
        return self.starts_at + timezone.timedelta(minutes=self.movie.runtime_minutes)

    def price_map(self) -> dict[str, Decimal]:
        return {price.category: price.amount for price in self.prices.all()}

    def is_bookable(self, now=None) -> bool:
        """Whether seats can be held now: the same rule hold_seats() enforces."""
        return closed_reason(self, now or timezone.now()) is None


def existing_shows_near(screen_ids, start, end, buffer: timedelta, exclude_pk=None):
    """Non-cancelled shows on these screens that could clash with anything in [start, end):
    any show starting up to the longest runtime plus the cleaning buffer before it."""
    shows = (
        ShowPage.objects.filter(screen_id__in=screen_ids, starts_at__lt=end, starts_at__gt=start - LONGEST_RUNTIME - buffer)
        .exclude(status=ShowStatus.CANCELLED)
        .select_related("movie")
        .only("id", "title", "screen_id", "starts_at", "movie__runtime_minutes", "movie__title")
    )
    if exclude_pk:
        shows = shows.exclude(pk=exclude_pk)
    return list(shows)


def check_show_rules(show) -> list[str]:
    """Every rule a single show must satisfy; an empty list means it may be saved."""
    problems = []
    screen, movie = show.screen, show.movie
    if not screen.supports(show.format):
        problems.append(f"{screen.name} at {screen.theater.title} is a {screen.format} screen and cannot show {show.format}.")
    if show.language_id and not movie_has_language(movie, show.language):
        problems.append(f"“{movie.title}” is not released in {show.language}. Add the language to the movie first.")
    if show.booking_closes_at and show.booking_closes_at > show.starts_at + timedelta(minutes=30):
        problems.append("Booking must close no later than 30 minutes after the show starts.")
    if show.booking_opens_at and show.booking_opens_at >= (show.booking_closes_at or show.starts_at):
        problems.append("Booking must open before it closes.")
    if show.status != "cancelled":
        buffer = cleaning_buffer()
        end = busy_until(show.starts_at, movie.runtime_minutes, buffer)
        for other in existing_shows_near([screen.pk], show.starts_at, end, buffer, exclude_pk=show.pk):
            if overlapping(show.starts_at, movie.runtime_minutes, other.starts_at, other.movie.runtime_minutes, buffer):
                problems.append(describe_clash(other, buffer))
                break
    return problems


class ShowPrice(Orderable):
    """What one seat of a category costs at this show, before GST and fees."""

    show = ParentalKey(ShowPage, on_delete=models.CASCADE, related_name="prices")
    category = models.CharField(max_length=40, help_text="A category of the screen's seat layout, for example Prime.")
    amount = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("1.00"))])
    # Where the amount came from: a price card's rule (re-priced when the card changes) or an
    # editor's hand (an override, never re-priced). The rule stays null once it is deleted.
    from_card = models.BooleanField(default=False, editable=False)
    rule = models.ForeignKey(
        "cinema.PriceRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    panels = [FieldRowPanel([FieldPanel("category"), FieldPanel("amount")])]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["show", "category"], name="unique_price_per_category")]

    def __str__(self):
        return f"{self.category}: ₹{self.amount}"
