"""The vocabulary of price cards: day types, time bands and when two rules overlap.

Time bands are the showtime filters' (cinema/choices.py TIME_BANDS), by the show's start time in
India Standard Time:

    morning  06:00–11:59      matinee  12:00–15:59
    evening  16:00–19:59      night    20:00–05:59 (past midnight, on the start's calendar day)

A show's day type is the calendar day it starts on (IST): a date in the holiday list is a
holiday whatever weekday it falls on; otherwise Saturday and Sunday are weekend days and
Monday to Friday weekdays. A rule field left at "Any" matches every value.
"""

from __future__ import annotations

from datetime import date, time

from cinema.choices import TIME_BANDS

ANY = ""

DAY_TYPES = [(ANY, "Any day"), ("weekday", "Weekday (Mon–Fri)"), ("weekend", "Weekend (Sat–Sun)"), ("holiday", "Holiday")]

# The bands are the ones customers filter showtimes by (cinema/choices.py): one definition of
# the hours for filters and prices. (value, label, first minute covered, first minute not).
_BANDS = [(value, label, start * 60, end * 60) for value, label, (start, end) in TIME_BANDS if end <= 24]
NIGHT = next((value, label) for value, label, (_, end) in TIME_BANDS if end > 24)
TIME_BAND_CHOICES = [(ANY, "Any time")] + [(value, label) for value, label, _ in TIME_BANDS]


def day_type(day: date, holidays: set[date]) -> str:
    if day in holidays:
        return "holiday"
    return "weekend" if day.weekday() >= 5 else "weekday"


def time_band(at: time) -> str:
    minute = at.hour * 60 + at.minute
    for value, _, first, last in _BANDS:
        if first <= minute < last:
            return value
    return NIGHT[0]


def matches(rule_value: str, actual: str) -> bool:
    return rule_value in (ANY, actual)


def _meet(a: str, b: str) -> bool:
    return a in (ANY, b) or b == ANY


def rules_overlap(a, b) -> bool:
    """Two rules of one card overlap when some show and seat would match both."""
    return (
        a.category.strip().lower() == b.category.strip().lower()
        and _meet(a.day_type, b.day_type)
        and _meet(a.time_band, b.time_band)
        and _meet(a.format, b.format)
    )


def describe(rule) -> str:
    """ "Prime · weekend · evening · any format" — how editors and reports name a rule."""
    return " · ".join(
        [
            rule.category.strip(),
            rule.day_type or "any day",
            rule.time_band or "any time",
            rule.format or "any format",
        ]
    )
