"""The box-office rules staff edit without a deploy (Settings → Booking settings).

Every app reads them (cinema the cleaning buffer, ticketing fees and cancellations, the wallet
the refund cap), so they live in the kernel; the model keeps the home app's label, where its
table, migrations and permission codenames have always been.

Every hold, quote and checkout reads them, so ``load()`` keeps a copy in the shared cache
under the site's content version (core/version_cache.py); a save drops it and bumps the
version."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from core import version_cache, versions

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
    food_gst_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=PERCENT,
        help_text="% GST on food and drinks sold on their own (restaurant service). Bundles with tickets are taxed as tickets.",
    )
    food_sac = models.CharField(
        max_length=8,
        default="996331",
        validators=[RegexValidator(r"^\d{4,8}$", "A SAC is 4 to 8 digits.")],
        help_text="Service accounting code printed beside the food tax (restaurant service: 996331).",
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
    companion_release_hours = models.PositiveSmallIntegerField(
        "companion seats released (hours before the show)",
        default=24,
        validators=[MaxValueValidator(336)],
        help_text="Companion seats beside wheelchair spaces are sold only with their wheelchair space (or at the counter) "
        "until this many hours before the show; then anyone can book them. 0 keeps them until the show starts.",
    )
    refund_cap = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("5000.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Largest credit or refund finance staff may issue in one action, in rupees; above it, a superuser.",
    )

    # Service codes printed on tax invoices (the GST scheme of classification of services).
    sac_admission = models.CharField(
        "SAC for admission",
        max_length=8,
        default="999615",
        help_text="Heading 9996; 999615 is motion picture projection services.",
    )
    sac_fee = models.CharField(
        "SAC for the convenience fee",
        max_length=8,
        default="998599",
        help_text="998599 is other support services; change it if your adviser classifies the fee otherwise.",
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
                FieldPanel("food_gst_rate"),
                FieldPanel("food_sac"),
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
        MultiFieldPanel([FieldPanel("companion_release_hours")], heading="Accessible seating"),
        MultiFieldPanel([FieldPanel("refund_cap")], heading="Finance"),
        MultiFieldPanel([FieldPanel("sac_admission"), FieldPanel("sac_fee")], heading="Tax invoices"),
    ]

    class Meta:
        app_label = "home"  # its table, permissions and admin URL are the home app's
        verbose_name = "Booking settings"

    @classmethod
    def load(cls, request_or_site=None):
        """The rules, from the shared cache while the content version is unchanged. With a
        request or site (Wagtail's admin and templates) Wagtail's own per-request memo applies;
        the settings edit view reads the row itself."""
        if request_or_site is not None:
            return super().load(request_or_site)
        return version_cache.cached(CACHE_KEY, super().load)


CACHE_KEY = "booking-rules"


def _changed(**kwargs) -> None:
    version_cache.forget(CACHE_KEY)
    versions.bump_content()


post_save.connect(_changed, sender=BookingSettings, dispatch_uid="booking_rules_saved")
post_delete.connect(_changed, sender=BookingSettings, dispatch_uid="booking_rules_deleted")
