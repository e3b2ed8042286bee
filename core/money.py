"""Money in one place: rupees as Decimal with two places, paise as int, one rounding rule."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


# --- display: Indian grouping (lakh, crore) ---------------------------------------------------
EMPTY = "—"
MINUS = "\u2212"  # a real minus sign, not a hyphen
RUPEE = "₹"


def _to_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    else:
        # str() first, so a stray float is read as it prints (0.1 → "0.1"), never as binary.
        text = str(value).strip().replace(",", "").removeprefix(RUPEE).strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    return number if number.is_finite() else None


def group_indian(digits: str) -> str:
    """'1234567' → '12,34,567': the last three digits, then pairs (lakh, crore)."""
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    pairs = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    if head:
        pairs.insert(0, head)
    return ",".join(pairs + [tail])


def format_inr(value) -> str:
    """Rupees with two decimals and lakh/crore grouping: 1234567.5 → "₹12,34,567.50".

    None or anything that is not a number → "—"; negatives get a minus sign: "−₹1,200.00".
    """
    number = _to_decimal(value)
    if number is None:
        return EMPTY
    number = rupees(number)
    negative = number < 0
    whole, _, paise = f"{abs(number):f}".partition(".")
    text = f"{RUPEE}{group_indian(whole)}.{paise or '00'}"
    return f"{MINUS}{text}" if negative else text
