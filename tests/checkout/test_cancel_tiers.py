"""The cancellation tiers editors set in Settings → Booking settings: tiers that overlap or leave
gaps are refused naming them, sound ones are saved and take effect at once, and with none set
the default reproduces the policy before tiers (to the wallet in full until 2 h before)."""

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from core.cancel_tiers import DEFAULT_TIERS, CancellationTier, Tier, tier_problems, tiers
from home.models import BookingSettings

pytestmark = pytest.mark.django_db


def tier(destination, start, end, allowed=True, fee="0"):
    return Tier(destination, start, end, allowed, Decimal(fee))


def test_sound_tiers_have_no_problems():
    assert tier_problems([tier("wallet", 0, 4, False), tier("wallet", 4, 24, fee="10"), tier("wallet", 24, None)]) == []
    assert tier_problems([tier("source", 24, None), tier("source", 0, 24, False)]) == []  # any order
    assert tier_problems(list(DEFAULT_TIERS)) == []


def test_overlaps_and_gaps_are_named():
    assert tier_problems([tier("wallet", 0, 12), tier("wallet", 4, 24), tier("wallet", 24, None)]) == [
        "Wallet tiers overlap: 0–12 h and 4–24 h."
    ]
    assert tier_problems([tier("source", 0, 4), tier("source", 6, None)]) == [
        "Original payment method tiers leave a gap from 4 h to 6 h before the show."
    ]
    assert tier_problems([tier("wallet", 2, None)]) == ["Wallet tiers leave a gap from 0 h to 2 h before the show."]
    assert tier_problems([tier("wallet", 0, 24)]) == [
        "Wallet tiers leave a gap from 24 h before the show onwards: leave the last tier's end blank."
    ]
    assert tier_problems([tier("wallet", 0, None), tier("wallet", 24, None)]) == [
        "Wallet tiers overlap: 0 h onwards and 24 h onwards."
    ]
    assert tier_problems([tier("wallet", 5, 5)]) == ["Wallet: a tier must end after it starts (5–5 h)."]


def test_no_tiers_means_the_old_policy():
    assert tiers() == DEFAULT_TIERS
    assert [(t.from_hours, t.to_hours, t.allowed) for t in DEFAULT_TIERS] == [(0, 2, False), (2, None, True)]


def _post(client, rows):
    rules = BookingSettings.load()
    data = {
        name: value
        for name, value in model_to_dict(rules).items()
        if name not in ("id", "site") and value is not None and value is not False
    }
    prefix = "cancellation_tiers"
    data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MIN_NUM_FORMS": 0})
    data[f"{prefix}-MAX_NUM_FORMS"] = 1000
    for index, (destination, start, end, allowed, fee) in enumerate(rows):
        row = {"destination": destination, "from_hours": start, "to_hours": "" if end is None else end, "fee_percent": fee}
        row["ORDER"] = index + 1
        if allowed:
            row["allowed"] = "on"
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return client.post(reverse("wagtailsettings:edit", args=["home", "bookingsettings", rules.pk]), data)


def test_the_settings_form_refuses_an_overlap_by_name(client, superuser):
    client.force_login(superuser)
    response = _post(client, [("wallet", 0, 12, True, "0"), ("wallet", 4, None, True, "10")])
    assert response.status_code == 200
    assert "Wallet tiers overlap: 0–12 h and 4 h onwards." in response.content.decode()
    assert not CancellationTier.objects.exists()


def test_the_settings_form_saves_sound_tiers_and_they_apply_at_once(client, superuser):
    client.force_login(superuser)
    assert tiers() == DEFAULT_TIERS  # read (and cached) before the change
    response = _post(client, [("wallet", 0, 4, False, "0"), ("wallet", 4, 24, True, "10"), ("wallet", 24, None, True, "0")])
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(t.from_hours, t.to_hours, t.fee_percent) for t in tiers()] == [
        (0, 4, Decimal("0.00")),
        (4, 24, Decimal("10.00")),
        (24, None, Decimal("0.00")),
    ]
