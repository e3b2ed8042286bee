"""The home page and the settings staff edit without a deploy."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Page

from cinema.queries import chosen_city, coming_soon_movies, now_showing_movies


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


PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


@register_setting(icon="cogs")
class BookingSettings(BaseGenericSetting):
    """Box-office rules staff can change from Settings → Booking settings."""

    cleaning_buffer_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=[MaxValueValidator(240)],
        help_text="Minutes between one show ending and the next starting on the same screen.",
    )

    convenience_fee = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("30.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Convenience fee per ticket, in rupees, before GST.",
    )
    gst_threshold = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("100.00"),
        help_text="Tickets priced at or below this (per seat, before GST) are taxed at the lower rate.",
    )
    gst_rate_low = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("5.00"), validators=PERCENT, help_text="%")
    gst_rate_high = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("18.00"), validators=PERCENT, help_text="%"
    )
    gst_rate_fee = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("18.00"), validators=PERCENT, help_text="% GST on the convenience fee."
    )

    customer_cancellation = models.BooleanField(
        default=True, help_text="Customers may cancel a confirmed booking themselves, until the cut-off below."
    )
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(168)],
        help_text="Customers can cancel until this many hours before the show starts.",
    )
    cancel_refund_to = models.CharField(
        max_length=8,
        choices=[("wallet", "The customer's wallet (in full)"), ("source", "The original payment method, minus the fee")],
        default="wallet",
        help_text="Where a customer's own cancellation is refunded.",
    )
    cancel_fee_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=PERCENT,
        help_text="% of the booking kept when a customer's cancellation is refunded to the original payment method.",
    )
    refund_cap = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("5000.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Largest credit or refund finance staff may issue in one action, in rupees; above it, a superuser.",
    )

    panels = [
        MultiFieldPanel([FieldPanel("cleaning_buffer_minutes")], heading="Scheduling"),
        MultiFieldPanel(
            [
                FieldPanel("convenience_fee"),
                FieldPanel("gst_threshold"),
                FieldPanel("gst_rate_low"),
                FieldPanel("gst_rate_high"),
                FieldPanel("gst_rate_fee"),
            ],
            heading="Fees and GST",
        ),
        MultiFieldPanel(
            [
                FieldPanel("customer_cancellation"),
                FieldPanel("cancel_cutoff_hours"),
                FieldPanel("cancel_refund_to"),
                FieldPanel("cancel_fee_percent"),
            ],
            heading="Cancellations by customers",
        ),
        MultiFieldPanel([FieldPanel("refund_cap")], heading="Finance"),
    ]

    class Meta:
        verbose_name = "Booking settings"
