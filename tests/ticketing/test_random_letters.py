"""Booking references, ticket codes and pickup codes: letters of the box office's alphabet,
each five random bits."""

from collections import Counter

from ticketing.models.bookings import REFERENCE_ALPHABET, new_reference, random_letters
from ticketing.models.food import new_pickup_code
from ticketing.models.tickets import new_ticket_code


def test_codes_have_their_length_and_only_the_alphabets_letters():
    for code, prefix, length in ((new_reference(), "MQ", 10), (new_pickup_code(), "FD", 10), (new_ticket_code(), "", 16)):
        assert code.startswith(prefix) and len(code) == length
        assert set(code[len(prefix) :]) <= set(REFERENCE_ALPHABET)


def test_every_letter_comes_up_about_as_often():
    counts = Counter(random_letters(32_000))
    assert set(counts) == set(REFERENCE_ALPHABET)
    assert min(counts.values()) > 700 and max(counts.values()) < 1300  # 1,000 each expected; ±9 sigma


def test_codes_do_not_repeat():
    assert len({new_reference() for _ in range(2000)}) == 2000
