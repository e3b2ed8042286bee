"""The service codes printed on tax invoices are checked where finance types them: digits only,
4 to 8 of them (a SAC is a heading of 4 digits, a service of 6)."""

import pytest
from django.core.exceptions import ValidationError

from core.booking_rules import BookingSettings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["sac_admission", "sac_fee", "food_sac"])
@pytest.mark.parametrize("typed", ["99961", "abc", "9996 15", "123", "123456789"])
def test_a_sac_must_be_4_to_8_digits(field, typed):
    rules = BookingSettings.load()
    setattr(rules, field, typed)
    if typed == "99961":
        rules.full_clean()
        return
    with pytest.raises(ValidationError) as refused:
        rules.full_clean()
    assert "A SAC is 4 to 8 digits." in refused.value.message_dict[field]


def test_the_defaults_are_the_schemes_codes():
    rules = BookingSettings.load()
    rules.full_clean()
    assert (rules.sac_admission, rules.sac_fee, rules.food_sac) == ("999615", "998599", "996331")
