"""Money in one place: rupees as Decimal with two places, paise as int, one rounding rule."""

from decimal import ROUND_HALF_UP, Decimal

PAISA = Decimal("0.01")
ZERO = Decimal("0.00")


def rupees(value) -> Decimal:
    """Round to the paisa, half up: the only rounding the box office does."""
    return Decimal(value).quantize(PAISA, rounding=ROUND_HALF_UP)


def to_paise(amount: Decimal) -> int:
    return int(rupees(amount) * 100)


def from_paise(paise: int) -> Decimal:
    return rupees(Decimal(paise) / 100)


def percent_of(amount: Decimal, rate: Decimal) -> Decimal:
    return rupees(amount * rate / 100)
