"""The customer cancellation policy in tiers: by hours before the show, per refund destination.

A tier covers ``from_hours`` (inclusive) up to ``to_hours`` (exclusive; blank: no limit) before
the show, for one destination (the wallet or the original payment method), and says whether a
customer may cancel then, the fee kept, and whether only the whole booking may be cancelled.
A destination's tiers must cover 0 h onwards with no gap and no overlap; a destination with no
tiers is not offered. With no tiers at all, DEFAULT_TIERS apply (the policy before tiers: to the
wallet in full until 2 h before the show).

Editors edit them as an inline list on Settings → Booking settings; the formset refuses tiers
that overlap or leave gaps, naming them. ``tiers()`` is read on every booking page and kept in
the shared cache like the settings themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext
from modelcluster.fields import ParentalKey
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from core import version_cache

DESTINATIONS = {"wallet": "Wallet", "source": "Original payment method"}
CACHE_KEY = "cancel-tiers"


@dataclass(frozen=True)
class Tier:
    destination: str
    from_hours: int
    to_hours: int | None
    allowed: bool
    fee_percent: Decimal
    whole_booking_only: bool = False

    def covers(self, hours_before: Decimal) -> bool:
        return hours_before >= self.from_hours and (self.to_hours is None or hours_before < self.to_hours)

    @property
    def window(self) -> str:
        """'4–24 h', 'from 24 h', 'under 4 h' (hours before the show)."""
        if self.to_hours is None:  # customers read these in refusals: translated
            return gettext("%(hours)s h or more before the show") % {"hours": self.from_hours}
        if self.from_hours == 0:
            return gettext("less than %(hours)s h before the show") % {"hours": self.to_hours}
        return gettext("%(start)s–%(end)s h before the show") % {"start": self.from_hours, "end": self.to_hours}


DEFAULT_TIERS = (
    Tier("wallet", 0, 2, allowed=False, fee_percent=Decimal("0")),
    Tier("wallet", 2, None, allowed=True, fee_percent=Decimal("0")),
)


def _span(tier: Tier) -> str:
    return f"{tier.from_hours}–{tier.to_hours} h" if tier.to_hours is not None else f"{tier.from_hours} h onwards"


def tier_problems(tiers: list[Tier]) -> list[str]:
    """What is wrong with this set of tiers, one sentence each (empty: it is sound)."""
    problems = []
    for destination, label in DESTINATIONS.items():
        mine = sorted((t for t in tiers if t.destination == destination), key=lambda t: (t.from_hours, t.to_hours or 10**6))
        if not mine:
            continue
        for tier in mine:
            if tier.to_hours is not None and tier.to_hours <= tier.from_hours:
                problems.append(f"{label}: a tier must end after it starts ({tier.from_hours}–{tier.to_hours} h).")
        if problems:
            continue
        if mine[0].from_hours != 0:
            problems.append(f"{label} tiers leave a gap from 0 h to {mine[0].from_hours} h before the show.")
        for before, after in zip(mine, mine[1:], strict=False):
            end = before.to_hours
            if end is None or after.from_hours < end:
                problems.append(f"{label} tiers overlap: {_span(before)} and {_span(after)}.")
            elif after.from_hours > end:
                problems.append(f"{label} tiers leave a gap from {end} h to {after.from_hours} h before the show.")
        if mine[-1].to_hours is not None:
            problems.append(
                f"{label} tiers leave a gap from {mine[-1].to_hours} h before the show onwards: leave the last tier's end blank."
            )
    return problems


class TierFormSet(BaseChildFormSet):
    """Refuses tiers that overlap or leave gaps, naming them, above the list."""

    def clean(self):
        super().clean()
        tiers = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue
            tiers.append(
                Tier(
                    data["destination"],
                    data["from_hours"],
                    data.get("to_hours"),
                    data.get("allowed", False),
                    data.get("fee_percent") or Decimal("0"),
                )
            )
        problems = tier_problems(tiers)
        if problems:
            raise ValidationError(problems)


class TierPanel(InlinePanel):
    """The tiers' inline list, validated as a whole by TierFormSet."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = TierFormSet
        return options


class CancellationTier(Orderable):
    settings = ParentalKey("home.BookingSettings", on_delete=models.CASCADE, related_name="cancellation_tiers")
    destination = models.CharField(
        max_length=8, choices=list(DESTINATIONS.items()), default="wallet", help_text="Where this tier's refunds go."
    )
    from_hours = models.PositiveSmallIntegerField(
        "from (hours before the show)", default=0, validators=[MaxValueValidator(720)], help_text="Inclusive."
    )
    to_hours = models.PositiveSmallIntegerField(
        "to (hours before the show)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(720)],
        help_text="Exclusive. Blank: no limit (the earliest tier).",
    )
    allowed = models.BooleanField("customers may cancel", default=True, help_text="Off: no cancellation in this window.")
    fee_percent = models.DecimalField(
        "fee %",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="% of the cancelled seats' value kept.",
    )
    whole_booking_only = models.BooleanField(default=False, help_text="On: only the whole booking, never some of its seats.")

    panels = [
        FieldRowPanel([FieldPanel("destination"), FieldPanel("from_hours"), FieldPanel("to_hours")]),
        FieldRowPanel([FieldPanel("allowed"), FieldPanel("fee_percent"), FieldPanel("whole_booking_only")]),
    ]

    class Meta(Orderable.Meta):
        app_label = "home"
        verbose_name = "cancellation tier"

    def as_tier(self) -> Tier:
        return Tier(self.destination, self.from_hours, self.to_hours, self.allowed, self.fee_percent, self.whole_booking_only)


def tiers() -> tuple[Tier, ...]:
    """The tiers in force (DEFAULT_TIERS when none are set)."""

    def load():
        return tuple(tier.as_tier() for tier in CancellationTier.objects.order_by("destination", "from_hours")) or DEFAULT_TIERS

    return version_cache.cached(CACHE_KEY, load)


def _changed(**kwargs) -> None:
    version_cache.forget(CACHE_KEY)


post_save.connect(_changed, sender=CancellationTier, dispatch_uid="cancel_tiers_saved")
post_delete.connect(_changed, sender=CancellationTier, dispatch_uid="cancel_tiers_deleted")
