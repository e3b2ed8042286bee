"""Gift card codes: 16 characters (80 bits) from the booking-reference alphabet, shown as
XXXX-XXXX-XXXX-XXXX, derived from the card's random seed with the server's secret (HMAC-SHA256).

Deriving rather than storing lets the e-mail task, retried or re-sent, print the code while
the database holds only the seed and the code's SHA-256 (what a redemption looks up, unique).
A copy of the database without SECRET_KEY cannot produce a single code.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from ticketing.models.bookings import REFERENCE_ALPHABET

LENGTH = 16  # 16 × 5 bits = 80 bits
GROUP = 4
SALT = b"marquee.gift-card.v1:"


def _derive(seed: str, secret: str) -> str:
    mac = hmac.new(secret.encode(), SALT + seed.encode(), hashlib.sha256).digest()
    number = int.from_bytes(mac[:10], "big")  # the first 80 bits
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(REFERENCE_ALPHABET))
        chars.append(REFERENCE_ALPHABET[index])
    return "".join(chars)


def code_for(seed: str) -> str:
    """The card's code (ungrouped) under the current SECRET_KEY."""
    return _derive(seed, settings.SECRET_KEY)


def code_matching(seed: str, digest: str) -> str | None:
    """The card's code under whichever secret issued it (SECRET_KEY, then its fallbacks), so a
    rotated key still prints the right code; None if no secret gives the stored digest."""
    for secret in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())):
        code = _derive(seed, secret)
        if hmac.compare_digest(digest_of(code), digest):
            return code
    return None


def normalize(text: str) -> str:
    """What the customer typed, as issued: upper case, no spaces or dashes."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())


def digest_of(code: str) -> str:
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def looks_like_code(text: str) -> bool:
    code = normalize(text)
    return len(code) == LENGTH and all(ch in REFERENCE_ALPHABET for ch in code)


def grouped(code: str) -> str:
    code = normalize(code)
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
