"""How the box office writes money and dates: rupees with lakh grouping, days and show
times in the site's time zone (IST). Plain functions: the `marquee` template tags wrap them,
and services and admin views call them directly."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from core.money import format_inr

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- money -----------------------------------------------------------------------------------
def inr(value) -> str:
    """Rupees with two decimals and lakh/crore grouping: 1234567.5 → "₹12,34,567.50"."""
    return format_inr(value)


# --- dates and times (always shown in the site's time zone, IST) ----------------------------
def _local(value):
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def showtime(value) -> str:
    """A start time as customers say it: "7:30 pm", "12:05 am"."""
    value = _local(value)
    if not isinstance(value, datetime):
        return ""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"


def showdate(value) -> str:
    """A day: "Sat 21 Nov 2026"."""
    value = _local(value)
    if not isinstance(value, date):
        return ""
    return f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]} {value.year}"


def showdatetime(value) -> str:
    """Date and time of a show: "Sat 21 Nov 2026, 7:30 pm"."""
    if not isinstance(value, datetime):
        return ""
    return f"{showdate(value)}, {showtime(value)}"


def _as_date(value):
    value = _local(value)
    if isinstance(value, datetime):
        value = value.date()
    return value if isinstance(value, date) else None


def relday(value) -> str:
    """The top line of a day tab: "Today", "Tomorrow" or the short weekday ("Mon")."""
    value = _as_date(value)
    if value is None:
        return ""
    delta = (value - timezone.localdate()).days
    if delta == 0:
        return "Today"
    if delta == 1:
        return "Tomorrow"
    return _DAYS[value.weekday()]


def dayname(value) -> str:
    """A listing day's heading: "Today, Sat 21 Nov", "Tomorrow, Sun 22 Nov" or "Mon 23 Nov"."""
    value = _as_date(value)
    if value is None:
        return ""
    text = f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]}"
    label = relday(value)
    return f"{label}, {text}" if label in ("Today", "Tomorrow") else text


def daymonth(value) -> str:
    """Day and month ("21 Nov"), with the year when it is not this year ("9 Jan 2027")."""
    value = _as_date(value)
    if value is None:
        return ""
    text = f"{value.day} {_MONTHS[value.month - 1]}"
    return text if value.year == timezone.localdate().year else f"{text} {value.year}"


def is_future(value) -> bool:
    """True for a date after today in IST (a film not released yet)."""
    value = _as_date(value)
    return value is not None and value > timezone.localdate()


def isodate(value) -> str:
    """The ISO date ("2026-11-21"), for element ids and <time datetime>."""
    value = _local(value)
    return value.isoformat() if isinstance(value, date) else ""
