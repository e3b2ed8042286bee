"""Tax invoices and credit notes: issued once, never changed (CGST Act s. 31 and 34, Rule 46).

Each document freezes what it says (supplier, recipient, place of supply, its lines and totals)
so a later edit of the legal entity, the settings or the booking changes nothing already issued.
Lines are a list of dicts, one per supply (description, SAC, quantity, taxable value, rate,
CGST, SGST, IGST), so admission, the fee and food share one shape."""

from django.db import models

from core.errors import BookingError


class IssuedDocumentChanged(BookingError):
    """An issued invoice or credit note is final: correct it with a credit note (409)."""

    status = 409
    code = "document_issued"


class SeriesKind(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit", "Credit note"


class DocumentSeries(models.Model):
    """One consecutive series per GSTIN, kind and financial year; its row is locked by the
    UPDATE that takes the next number, inside the transaction that issues the document."""

    gstin = models.CharField(max_length=15)
    kind = models.CharField(max_length=8, choices=SeriesKind.choices)
    financial_year = models.CharField(max_length=5, help_text="26-27: 1 April 2026 to 31 March 2027 (IST).")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gstin", "kind", "financial_year"], name="one_series_per_gstin_kind_year")]

    def __str__(self):
        return f"{self.gstin} {self.kind} {self.financial_year}: {self.last_number}"


class _Issued(models.Model):
    """What invoices and credit notes share: a number, the supplier and the totals."""

    number = models.CharField(max_length=16, unique=True)
    financial_year = models.CharField(max_length=5)
    sequence = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    legal_entity = models.ForeignKey("cinema.LegalEntity", on_delete=models.PROTECT, related_name="+")
    gstin = models.CharField(max_length=15, db_index=True)
    supplier_name = models.CharField(max_length=200)
    supplier_address = models.TextField()
    supplier_state_code = models.CharField(max_length=2)
    place_of_supply = models.CharField(max_length=2, help_text="State code.")
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_gstin = models.CharField(max_length=15, blank=True)
    lines = models.JSONField(default=list)
    taxable_value = models.DecimalField(max_digits=12, decimal_places=2)
    cgst = models.DecimalField(max_digits=12, decimal_places=2)
    sgst = models.DecimalField(max_digits=12, decimal_places=2)
    igst = models.DecimalField(max_digits=12, decimal_places=2)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise IssuedDocumentChanged(f"{self.number} is issued and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise IssuedDocumentChanged(f"{self.number} is issued and cannot be deleted.")

    @property
    def tax(self):
        return self.cgst + self.sgst + self.igst

    @property
    def is_b2b(self) -> bool:
        return bool(self.recipient_gstin)


class Invoice(_Issued):
    """The tax invoice of one paid booking, issued in the transaction that confirms it."""

    booking = models.OneToOneField("ticketing.Booking", on_delete=models.PROTECT, related_name="invoice")

    class Meta:
        ordering = ["gstin", "financial_year", "sequence"]
        constraints = [models.UniqueConstraint(fields=["gstin", "financial_year", "sequence"], name="invoice_sequence_unique")]

    def __str__(self):
        return self.number


class CreditNote(_Issued):
    """Reverses the refunded part of an invoice: one per refund."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    refund = models.OneToOneField("ticketing.Refund", on_delete=models.PROTECT, related_name="credit_note")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["gstin", "financial_year", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["gstin", "financial_year", "sequence"], name="credit_note_sequence_unique")
        ]

    def __str__(self):
        return self.number
