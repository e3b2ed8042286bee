"""The box office counter: a staff member's shift with its cash float and cash-up, and the
walk-in sales made in it.

A counter sale is an ordinary Booking (channel "counter", its customer the staff member who
sold it) with a recorded Payment (gateway "counter", no gateway call); this module adds what
only the counter knows: the shift, how it was paid (tendered, change, UPI reference or card
approval code) and whom to send the tickets to.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ShiftState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CounterMethod(models.TextChoices):
    CASH = "cash", "Cash"
    UPI = "upi", "UPI"
    CARD = "card", "Card on terminal"
    # A supervisor's free ticket: no money, no consideration, so no GST and no tax invoice.
    COMPLIMENTARY = "complimentary", "Complimentary"


# The methods that take money (the cash-up's per-method totals); complimentary takes none.
PAID_METHODS = (CounterMethod.CASH, CounterMethod.UPI, CounterMethod.CARD)


class CounterShift(models.Model):
    """One staff member at one named counter, from opening float to cash-up. Closed shifts
    keep their cash-up figures (``summary``) and are never changed again."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counter_shifts")
    counter = models.CharField(max_length=60)
    opening_float = models.DecimalField(max_digits=10, decimal_places=2)
    state = models.CharField(max_length=6, choices=ShiftState.choices, default=ShiftState.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    counted = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True, help_text="Cash counted at close.")
    expected_cash = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    variance = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True, help_text="Counted − expected.")
    summary = models.JSONField(default=dict, blank=True, help_text="Totals per method and show, frozen at close.")

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            # Two "open shift" clicks at once: the second INSERT fails here (409), never two shifts.
            models.UniqueConstraint(fields=["staff"], condition=Q(state="open"), name="one_open_shift_per_staff"),
            models.CheckConstraint(condition=Q(state__in=[s.value for s in ShiftState]), name="countershift_state_valid"),
            models.CheckConstraint(condition=Q(opening_float__gte=0), name="countershift_float_not_negative"),
        ]
        permissions = [
            ("sell_at_counter", "Can sell tickets at the box office counter"),
            ("supervise_counter", "Can void counter sales and see every counter shift"),
        ]

    def __str__(self):
        return f"{self.counter} · {self.staff} · {self.opened_at:%d %b %H:%M}" if self.opened_at else self.counter


class CounterSale(models.Model):
    """How a counter booking was paid and whom its tickets go to."""

    booking = models.OneToOneField("ticketing.Booking", on_delete=models.PROTECT, related_name="counter_sale")
    shift = models.ForeignKey(CounterShift, on_delete=models.PROTECT, related_name="sales")
    method = models.CharField(max_length=13, choices=CounterMethod.choices)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    tendered = models.DecimalField(max_digits=10, decimal_places=2)
    change_due = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    reference = models.CharField(max_length=64, blank=True, help_text="UPI reference or card approval code.")
    comp_reason = models.CharField(max_length=255, blank=True, help_text="Why a complimentary sale was given (required for it).")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    void_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(method__in=[m.value for m in CounterMethod]), name="countersale_method_valid"),
            models.CheckConstraint(condition=Q(change_due__gte=0) & Q(tendered__gte=models.F("total")), name="countersale_paid"),
            # A complimentary sale is free and says why; nothing else is free of charge here.
            models.CheckConstraint(
                condition=~Q(method="complimentary") | (Q(total=0) & ~Q(comp_reason="")), name="countersale_comp_free_with_reason"
            ),
        ]

    def __str__(self):
        return f"{self.booking_id} · {self.get_method_display()}"
