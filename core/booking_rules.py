"""The box-office rules staff edit without a deploy (Settings → Booking settings).

Every app reads them (cinema the cleaning buffer, ticketing fees and cancellations, the wallet
the refund cap), so they live in the kernel; the model keeps the home app's label, where its
table, migrations and permission codenames have always been.

Every hold, quote and checkout reads them, and so does a show page's render (the companion
seats' release), so ``load()`` keeps a copy in the shared cache under a version of their own
(core/version_cache.py, ``versions.RULES``): a publish elsewhere leaves it good. A save drops
it and bumps that version and the content version (pages show the fee and the rules)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from core import version_cache, versions
from core.cancel_tiers import CancellationTier, TierPanel  # noqa: F401  (registered under the home app)

SAC = RegexValidator(r"^\d{4,8}$", "A SAC is 4 to 8 digits.")

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


@register_setting(icon="cogs")
class BookingSettings(ClusterableModel, BaseGenericSetting):
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
        validators=[SAC],
        help_text="Service accounting code printed beside the food tax (restaurant service: 996331).",
    )

    customer_cancellation = models.BooleanField(
        default=True,
        help_text="Customers may cancel a confirmed booking (or some of its seats) themselves, under the tiers below.",
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
        validators=[SAC],
        help_text="Heading 9996; 999615 is motion picture projection services.",
    )
    sac_fee = models.CharField(
        "SAC for the convenience fee",
        max_length=8,
        default="998599",
        validators=[SAC],
        help_text="998599 is other support services; change it if your adviser classifies the fee otherwise.",
    )

    gift_cards_on_sale = models.BooleanField(
        default=True, help_text="Customers may buy gift cards on the site and through the API."
    )
    gift_card_min = models.PositiveIntegerField(
        "smallest gift card",
        default=100,
        validators=[MinValueValidator(1)],
        help_text="In whole rupees.",
    )
    gift_card_max = models.PositiveIntegerField(
        "largest gift card",
        default=10000,
        validators=[MaxValueValidator(200000)],
        help_text="In whole rupees. Keep it modest: a gift card is paid for once and spent like cash.",
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
                TierPanel(
                    "cancellation_tiers",
                    heading="Cancellation tiers",
                    label="Tier",
                    help_text=(
                        "By hours before the show, per destination: each destination's tiers run from 0 h with no gap "
                        "or overlap, the earliest with its end blank. A destination with no tiers is not offered. "
                        "No tiers at all: to the wallet in full until 2 h before the show."
                    ),
                ),
            ],
            heading="Cancellations by customers",
        ),
        MultiFieldPanel([FieldPanel("companion_release_hours")], heading="Accessible seating"),
        MultiFieldPanel([FieldPanel("refund_cap")], heading="Finance"),
        MultiFieldPanel([FieldPanel("sac_admission"), FieldPanel("sac_fee")], heading="Tax invoices"),
        MultiFieldPanel(
            [FieldPanel("gift_cards_on_sale"), FieldPanel("gift_card_min"), FieldPanel("gift_card_max")], heading="Gift cards"
        ),
    ]

    def clean(self):
        """The smallest gift card may not be larger than the largest."""
        super().clean()
        if self.gift_card_min and self.gift_card_max and self.gift_card_min > self.gift_card_max:
            raise ValidationError({"gift_card_max": "The largest gift card must be at least the smallest."})

    class Meta:
        app_label = "home"  # its table, permissions and admin URL are the home app's
        verbose_name = "Booking settings"

    @classmethod
    def load(cls, request_or_site=None):
        """The rules, from the shared cache while their version is unchanged. With a
        request or site (Wagtail's admin and templates) Wagtail's own per-request memo applies;
        the settings edit view reads the row itself."""
        if request_or_site is not None:
            return super().load(request_or_site)
        return version_cache.cached(CACHE_KEY, super().load, version_key=versions.RULES)


CACHE_KEY = "booking-rules"


def _changed(**kwargs) -> None:
    version_cache.forget(CACHE_KEY)
    versions.bump(versions.RULES)
    versions.bump_content()


post_save.connect(_changed, sender=BookingSettings, dispatch_uid="booking_rules_saved")
post_delete.connect(_changed, sender=BookingSettings, dispatch_uid="booking_rules_deleted")
