"""GSTINs and GST state codes: the kernel holds them because theaters (cinema) name their
supplier and checkout (ticketing) names a business customer, and both must check the same way.

A GSTIN is 15 characters: the 2-digit state code, the holder's PAN (10), an entity number,
a "Z" and a check character computed over the first 14 (base-36 Luhn, mod 36)."""

import re

from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SHAPE = re.compile(r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$")
PAN_SHAPE = re.compile(r"^[A-Z]{5}[0-9]{4}[A-Z]$")

# The codes the GST Network uses (the first two digits of every GSTIN).
STATES = {
    "01": "Jammu and Kashmir",
    "02": "Himachal Pradesh",
    "03": "Punjab",
    "04": "Chandigarh",
    "05": "Uttarakhand",
    "06": "Haryana",
    "07": "Delhi",
    "08": "Rajasthan",
    "09": "Uttar Pradesh",
    "10": "Bihar",
    "11": "Sikkim",
    "12": "Arunachal Pradesh",
    "13": "Nagaland",
    "14": "Manipur",
    "15": "Mizoram",
    "16": "Tripura",
    "17": "Meghalaya",
    "18": "Assam",
    "19": "West Bengal",
    "20": "Jharkhand",
    "21": "Odisha",
    "22": "Chhattisgarh",
    "23": "Madhya Pradesh",
    "24": "Gujarat",
    "26": "Dadra and Nagar Haveli and Daman and Diu",
    "27": "Maharashtra",
    "29": "Karnataka",
    "30": "Goa",
    "31": "Lakshadweep",
    "32": "Kerala",
    "33": "Tamil Nadu",
    "34": "Puducherry",
    "35": "Andaman and Nicobar Islands",
    "36": "Telangana",
    "37": "Andhra Pradesh",
    "38": "Ladakh",
    "97": "Other Territory",
}
STATE_CHOICES = [(code, f"{code} {name}") for code, name in STATES.items()]


def check_character(first14: str) -> str:
    """The 15th character: each value times 1 or 2 (alternating), its base-36 digits summed."""
    total = 0
    for index, char in enumerate(first14):
        product = ALPHABET.index(char) * (2 if index % 2 else 1)
        total += product // 36 + product % 36
    return ALPHABET[(36 - total % 36) % 36]


def gstin_problem(value: str, state_code: str | None = None) -> str | None:
    """Why this is not a valid GSTIN (for this state, when given), or None."""
    if not SHAPE.match(value):
        return "A GSTIN is 15 characters: 2 digits, a PAN (5 letters, 4 digits, a letter), an entity number, Z and a check character."
    if value[:2] not in STATES:
        return f"{value[:2]} is not a GST state code."
    if state_code and value[:2] != state_code:
        return f"This GSTIN is registered in state {value[:2]} ({STATES[value[:2]]}), not {state_code} ({STATES.get(state_code, '?')})."
    if check_character(value[:14]) != value[14]:
        return "The GSTIN's check character is wrong: please check it for a typing mistake."
    return None


def clean_gstin(value: str, state_code: str | None = None) -> str:
    """The GSTIN in capitals, or a ValidationError saying what is wrong."""
    value = (value or "").strip().upper()
    problem = gstin_problem(value, state_code)
    if problem:
        raise ValidationError(problem, code="gstin")
    return value


def validate_gstin(value: str) -> None:
    """A field validator (shape, state code and check character)."""
    clean_gstin(value)


def validate_pan(value: str) -> None:
    if value and not PAN_SHAPE.match(value.upper()):
        raise ValidationError("A PAN is 5 letters, 4 digits and a letter (e.g. AAPFU0939F).", code="pan")
