"""Seat inventory: one row per seat per show, the thing that must never be sold twice."""

from django.db import models


class SeatState(models.TextChoices):
    AVAILABLE = "available", "Available"
    HELD = "held", "Held"
    SOLD = "sold", "Sold"
    BLOCKED = "blocked", "Blocked"


class ShowSeat(models.Model):
    """A seat at one show. Position fields copy the layout so the seat map needs one query."""

    # No index of its own: unique_seat_per_show (show, label) serves lookups by show.
    show = models.ForeignKey("cinema.ShowPage", on_delete=models.CASCADE, related_name="seats", db_index=False)
    label = models.CharField(max_length=8)
    row = models.CharField(max_length=3)
    number = models.PositiveSmallIntegerField()
    row_index = models.PositiveSmallIntegerField()
    column = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=40)
    wheelchair = models.BooleanField(default=False)
    # Beside a wheelchair space: kept for the companion until the release time (holds.py).
    companion = models.BooleanField(default=False)
    state = models.CharField(max_length=9, choices=SeatState.choices, default=SeatState.AVAILABLE)
    held_until = models.DateTimeField(null=True, blank=True)
    # One FK, so a seat belongs to at most one booking: the database enforces it.
    booking = models.ForeignKey(
        "ticketing.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="seat_rows", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["show", "label"], name="unique_seat_per_show"),
            models.CheckConstraint(condition=models.Q(state__in=[s.value for s in SeatState]), name="showseat_state_valid"),
        ]
        # Partial indexes: a seat freed by the sweep (held → available, booking NULL) leaves
        # both, so freeing 100,000 seats writes two index entries per row instead of five.
        indexes = [
            models.Index(fields=["held_until"], condition=models.Q(state="held"), name="showseat_hold_expiry"),
            models.Index(fields=["booking"], condition=models.Q(booking__isnull=False), name="showseat_booking"),
            # A hold reads the asked seats' neighbours by position: a few index probes instead
            # of the show's every seat (holds._read_rows).
            models.Index(fields=["show", "row", "column"], name="showseat_position"),
        ]
        ordering = ["row_index", "column"]

    def __str__(self):
        return f"{self.label} ({self.get_state_display()})"
