"""Consecutive document numbers: one series per GSTIN, kind and financial year (1 April to
31 March, IST). The next number is taken by one UPDATE … RETURNING on the series row, which
locks it until the issuing transaction ends, so concurrent confirmations queue on that row and
a rolled-back one gives its number back: no gaps, no duplicates (the documents' unique
constraints say so too)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection

from cinema.models.legal_entities import NUMBER_LENGTH
from ticketing.errors import BookingError
from ticketing.models import DocumentSeries

IST = ZoneInfo("Asia/Kolkata")
SERIES = DocumentSeries._meta.db_table
TAKE = f"UPDATE {SERIES} SET last_number = last_number + 1 WHERE gstin = %s AND kind = %s AND financial_year = %s RETURNING last_number"


class SeriesExhausted(BookingError):
    """The year's counter no longer fits in 16 characters: a new prefix is needed (409)."""

    status = 409
    code = "series_exhausted"


def financial_year(moment: datetime) -> str:
    """'26-27' for any moment from 1 April 2026 00:00 to 31 March 2027 23:59:59 IST."""
    local = moment.astimezone(IST)
    start = local.year if local.month >= 4 else local.year - 1
    return f"{start % 100:02d}-{(start + 1) % 100:02d}"


def take_number(gstin: str, kind: str, year: str) -> int:
    """The next number of this series (call inside the issuing transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(TAKE, [gstin, kind, year])
        row = cursor.fetchone()
        if row is None:  # the year's first document: open its series (a racing opener is fine)
            DocumentSeries.objects.bulk_create(
                [DocumentSeries(gstin=gstin, kind=kind, financial_year=year)], ignore_conflicts=True
            )
            cursor.execute(TAKE, [gstin, kind, year])
            row = cursor.fetchone()
    return row[0]


def format_number(prefix: str, year: str, sequence: int) -> str:
    """MQMH/26-27/00042: the counter fills what the prefix and year leave of 16 characters."""
    head = f"{prefix}/{year}/"
    digits = NUMBER_LENGTH - len(head)
    number = f"{head}{sequence:0{digits}d}"
    if len(number) > NUMBER_LENGTH:
        raise SeriesExhausted(f"The series {head} is full; give the legal entity a shorter or new prefix.")
    return number
