"""The company that sells a theater's tickets, as its tax invoices must name it: one GST
registration (GSTIN) per state, so a chain in several states has one entity for each."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from core.gstin import STATE_CHOICES, STATES, gstin_problem, validate_pan

# An invoice number is PREFIX/YY-YY/NNNNN: at most 16 characters (Rule 46), letters, digits,
# "-" and "/", with room for a counter of at least five digits.
NUMBER_LENGTH = 16
MIN_COUNTER_DIGITS = 5
YEAR_PART = len("/26-27/")
MAX_PREFIX = NUMBER_LENGTH - YEAR_PART - MIN_COUNTER_DIGITS
PREFIX_SHAPE = re.compile(r"^[A-Za-z0-9/-]+$")


def validate_prefix(value: str) -> None:
    if not PREFIX_SHAPE.match(value or ""):
        raise ValidationError("Use letters, digits, “-” and “/” only.", code="prefix")
    if len(value) > MAX_PREFIX:
        raise ValidationError(
            f"At most {MAX_PREFIX} characters: with “/26-27/” and a {MIN_COUNTER_DIGITS}-digit counter the number "
            f"would be longer than {NUMBER_LENGTH} characters.",
            code="prefix",
        )


class LegalEntity(models.Model):
    """Supplier on every invoice and credit note of the theaters that choose it."""

    legal_name = models.CharField(max_length=200, help_text="As registered for GST.")
    address = models.TextField(help_text="The registered place of business printed on invoices.")
    state_code = models.CharField("state", max_length=2, choices=STATE_CHOICES)
    gstin = models.CharField(
        "GSTIN", max_length=15, unique=True, help_text="15 characters; checked against its state and check character."
    )
    pan = models.CharField("PAN", max_length=10, blank=True, validators=[validate_pan])
    cin = models.CharField("CIN", max_length=21, blank=True)
    invoice_prefix = models.CharField(max_length=NUMBER_LENGTH, validators=[validate_prefix], help_text="For example MQMH.")
    credit_note_prefix = models.CharField(
        max_length=NUMBER_LENGTH, validators=[validate_prefix], help_text="Credit notes have their own series, for example CNMH."
    )

    panels = [
        FieldPanel("legal_name"),
        FieldPanel("address"),
        MultiFieldPanel(
            [FieldPanel("state_code"), FieldPanel("gstin"), FieldPanel("pan"), FieldPanel("cin")], heading="Registration"
        ),
        MultiFieldPanel([FieldPanel("invoice_prefix"), FieldPanel("credit_note_prefix")], heading="Numbering"),
    ]

    class Meta:
        verbose_name = "legal entity"
        verbose_name_plural = "legal entities"
        ordering = ["legal_name"]

    def __str__(self):
        return f"{self.legal_name} ({self.gstin})"

    @property
    def state_name(self) -> str:
        return STATES.get(self.state_code, "")

    def clean(self):
        self.gstin = (self.gstin or "").strip().upper()
        self.pan = (self.pan or "").strip().upper()
        self.invoice_prefix = (self.invoice_prefix or "").strip()
        self.credit_note_prefix = (self.credit_note_prefix or "").strip()
        errors = {}
        problem = gstin_problem(self.gstin, self.state_code or None)
        if problem:
            errors["gstin"] = problem
        elif self.pan and self.gstin[2:12] != self.pan:
            errors["pan"] = "The PAN must be the one inside the GSTIN (its characters 3 to 12)."
        if self.invoice_prefix and self.invoice_prefix == self.credit_note_prefix:
            errors["credit_note_prefix"] = "Use a prefix other than the invoices' so the two series never share a number."
        if errors:
            raise ValidationError(errors)
