"""Rupee amounts in words, the Indian way (thousand, lakh, crore), as a tax invoice states its total."""

from decimal import Decimal

from core.money import rupees

ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _below_hundred(number: int) -> str:
    if number < 20:
        return ONES[number]
    tens, ones = divmod(number, 10)
    return TENS[tens] + (f"-{ONES[ones]}" if ones else "")


def _below_thousand(number: int) -> str:
    hundreds, rest = divmod(number, 100)
    words = [f"{ONES[hundreds]} hundred"] if hundreds else []
    if rest:
        words.append(_below_hundred(rest))
    return " ".join(words)


def number_in_words(number: int) -> str:
    """12345678 → 'one crore twenty-three lakh forty-five thousand six hundred seventy-eight'."""
    if number == 0:
        return "zero"
    crores, number = divmod(number, 10_000_000)
    lakhs, number = divmod(number, 100_000)
    thousands, number = divmod(number, 1000)
    words = []
    if crores:
        words.append(f"{number_in_words(crores)} crore")
    if lakhs:
        words.append(f"{_below_hundred(lakhs)} lakh")
    if thousands:
        words.append(f"{_below_hundred(thousands)} thousand")
    if number:
        words.append(_below_thousand(number))
    return " ".join(words)


def rupees_in_words(amount: Decimal) -> str:
    """Decimal('1234.50') → 'Rupees one thousand two hundred thirty-four and fifty paise only'."""
    amount = rupees(amount)
    whole = int(amount)
    paise = int((amount - whole) * 100)
    text = f"Rupees {number_in_words(whole)}"
    if paise:
        text += f" and {_below_hundred(paise)} paise"
    return text + " only"
