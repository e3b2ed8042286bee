"""Dates and times in the active language, rupees grouped the Indian way in every language."""

from datetime import datetime, timedelta

from django.utils import timezone, translation

from core.formatting import dayname, inr, relday, showdatetime, showtime
from core.money import format_inr

IST = timezone.get_fixed_timezone(330)
EVENING = datetime(2026, 11, 21, 19, 30, tzinfo=IST)  # a Saturday


def test_show_dates_and_times_in_english_and_hindi():
    with translation.override("en-in"):
        assert showdatetime(EVENING) == "Sat 21 Nov 2026, 7:30 pm"
    with translation.override("hi"):
        assert showdatetime(EVENING) == "शनि 21 नव॰ 2026, 7:30 अपराह्न"
        assert showtime(EVENING.replace(hour=9, minute=5)) == "9:05 पूर्वाह्न"


def test_today_and_tomorrow_follow_the_language():
    today = timezone.localdate()
    with translation.override("hi"):
        assert relday(today) == "आज"
        assert dayname(today + timedelta(days=1)).startswith("कल, ")
    with translation.override("en-in"):
        assert relday(today) == "Today" and dayname(today).startswith("Today, ")


def test_rupees_keep_the_indian_grouping_in_every_language():
    for code in ("en-in", "hi"):
        with translation.override(code):
            assert inr("1234567.5") == format_inr("1234567.5") == "₹12,34,567.50"
