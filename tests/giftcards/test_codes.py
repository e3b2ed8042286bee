"""Gift card codes: 80 bits from the server's secret and a random seed, never stored; a
rotated secret still prints the code that was issued."""

import math

import pytest

from ticketing.models.bookings import REFERENCE_ALPHABET
from ticketing.services.gift_codes import LENGTH, code_for, code_matching, digest_of, grouped, looks_like_code, normalize


def test_a_code_carries_at_least_80_bits():
    assert LENGTH * math.log2(len(REFERENCE_ALPHABET)) >= 80
    code = code_for("a" * 32)
    assert len(code) == LENGTH and set(code) <= set(REFERENCE_ALPHABET)


def test_codes_differ_by_seed_and_by_secret(settings):
    assert code_for("seed-one") != code_for("seed-two")
    first = code_for("seed-one")
    settings.SECRET_KEY = "another secret entirely, long enough to count"
    assert code_for("seed-one") != first


def test_the_issuing_secret_is_found_among_the_fallbacks(settings):
    issued = code_for("seed")
    digest = digest_of(issued)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the new secret after a rotation, long enough"
    assert code_matching("seed", digest) == issued
    settings.SECRET_KEY_FALLBACKS = []
    assert code_matching("seed", digest) is None


@pytest.mark.parametrize(
    ("typed", "ok"), [("abcd efgh jkmn pqrs", True), ("ABCD-EFGH-JKMN-PQR", False), ("ABCD-EFGH-JKMN-PQR0", False)]
)
def test_what_the_customer_types_is_normalized(typed, ok):
    assert looks_like_code(typed) is ok
    assert normalize("ab-cd ef") == "ABCDEF"
    assert grouped("abcdefghjkmnpqrs") == "ABCD-EFGH-JKMN-PQRS"
    assert digest_of("abcd-efgh-jkmn-pqrs") == digest_of("ABCDEFGHJKMNPQRS")
