"""How the box office writes money and dates: rupees with lakh grouping, days and show
times in the site's time zone (IST). Plain functions: the `marquee` template tags wrap them,
and services and admin views call them directly.

Day and month names, "Today"/"Tomorrow" and am/pm are translated into the active language
(locale/); the order of the parts and the digits stay as in English, and rupees keep the
Indian grouping in every language."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

from core.money import format_inr

_DAYS = (
    pgettext_lazy("weekday, short", "Mon"),
    pgettext_lazy("weekday, short", "Tue"),
    pgettext_lazy("weekday, short", "Wed"),
    pgettext_lazy("weekday, short", "Thu"),
    pgettext_lazy("weekday, short", "Fri"),
    pgettext_lazy("weekday, short", "Sat"),
    pgettext_lazy("weekday, short", "Sun"),
)
_MONTHS = (
    pgettext_lazy("month, short", "Jan"),
    pgettext_lazy("month, short", "Feb"),
    pgettext_lazy("month, short", "Mar"),
    pgettext_lazy("month, short", "Apr"),
    pgettext_lazy("month, short", "May"),
    pgettext_lazy("month, short", "Jun"),
    pgettext_lazy("month, short", "Jul"),
    pgettext_lazy("month, short", "Aug"),
    pgettext_lazy("month, short", "Sep"),
    pgettext_lazy("month, short", "Oct"),
    pgettext_lazy("month, short", "Nov"),
    pgettext_lazy("month, short", "Dec"),
)


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
    half = pgettext_lazy("time of day", "am") if value.hour < 12 else pgettext_lazy("time of day", "pm")
    return f"{hour}:{value.minute:02d} {half}"


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
        return gettext("Today")
    if delta == 1:
        return gettext("Tomorrow")
    return str(_DAYS[value.weekday()])


def dayname(value) -> str:
    """A listing day's heading: "Today, Sat 21 Nov", "Tomorrow, Sun 22 Nov" or "Mon 23 Nov"."""
    value = _as_date(value)
    if value is None:
        return ""
    text = f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]}"
    delta = (value - timezone.localdate()).days
    return f"{relday(value)}, {text}" if delta in (0, 1) else text


def day_month(value) -> str:
    """Day and month, never the year: "21 Nov"."""
    value = _as_date(value)
    return f"{value.day} {_MONTHS[value.month - 1]}" if value is not None else ""


def daymonth(value) -> str:
    """Day and month ("21 Nov"), with the year when it is not this year ("9 Jan 2027")."""
    value = _as_date(value)
    if value is None:
        return ""
    text = day_month(value)
    return text if value.year == timezone.localdate().year else f"{text} {value.year}"


def is_future(value) -> bool:
    """True for a date after today in IST (a film not released yet)."""
    value = _as_date(value)
    return value is not None and value > timezone.localdate()


def isodate(value) -> str:
    """The ISO date ("2026-11-21"), for element ids and <time datetime>."""
    value = _local(value)
    return value.isoformat() if isinstance(value, date) else ""
