"""Tax-free films: a state may waive its share of GST (SGST) on admission to a film for a
period; its shows in that state are then charged CGST only. Editors record each order here.
Saving one bumps the content version like every cinema row (home/invalidation.py), which is
what drops the cached waiver flag quotes read (ticketing/services/tax_waivers.py)."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel

from core.gstin import STATE_CHOICES, STATES


class TaxWaiver(models.Model):
    movie = models.ForeignKey("cinema.MoviePage", on_delete=models.CASCADE, related_name="tax_waivers")
    state_code = models.CharField("state", max_length=2, choices=STATE_CHOICES)
    starts_on = models.DateField("from", help_text="The first show date the waiver covers.")
    ends_on = models.DateField("to", help_text="The last show date it covers (inclusive).")
    order = models.CharField(max_length=200, blank=True, help_text="The state's order or notification, for the record.")

    panels = [FieldPanel("movie"), FieldPanel("state_code"), FieldPanel("starts_on"), FieldPanel("ends_on"), FieldPanel("order")]

    class Meta:
        verbose_name = "tax-free film"
        verbose_name_plural = "tax-free films"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="waiver_ends_after_it_starts")
        ]

    def __str__(self):
        return f"{self.movie} tax-free in {STATES.get(self.state_code, self.state_code)}, {self.starts_on} to {self.ends_on}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The waiver cannot end before it starts."})
