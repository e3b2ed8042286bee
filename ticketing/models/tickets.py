"""Tickets: one per sold seat, carrying the random code the QR encodes and the door scans."""

from django.conf import settings
from django.db import models

from .bookings import random_letters


def new_ticket_code() -> str:
    """16 characters from a 32-letter alphabet: 80 random bits, unguessable, easy to type."""
    return random_letters(16)


class Ticket(models.Model):
    """Issued when a booking is confirmed. A ticket admits once: check-in is one conditional
    UPDATE on `used_at IS NULL AND voided_at IS NULL`. A cancelled booking's tickets stay (the
    door says why); a seat cancelled on its own voids its ticket (the same conditional UPDATE
    the other way round, so a check-in and a cancellation of one ticket never both win)."""

    booking = models.ForeignKey("ticketing.Booking", on_delete=models.CASCADE, related_name="tickets")
    show = models.ForeignKey("cinema.ShowPage", on_delete=models.PROTECT, related_name="tickets")
    seat_label = models.CharField(max_length=8)
    category = models.CharField(max_length=40)
    code = models.CharField(max_length=16, unique=True, default=new_ticket_code, editable=False)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    voided_at = models.DateTimeField(null=True, blank=True, help_text="Its seat was cancelled on its own.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booking_id", "id"]
        indexes = [models.Index(fields=["show", "used_at"])]
        permissions = [("check_in_ticket", "Can admit tickets at the door")]

    def __str__(self):
        return f"{self.seat_label} · {self.code}"
