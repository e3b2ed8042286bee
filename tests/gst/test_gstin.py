"""GSTIN checks (shape, state code, check character) and the legal entity's form errors."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.gstin import check_character, clean_gstin, gstin_problem
from core.money_words import rupees_in_words
from home.demo.build import ensure_legal_entity
from home.demo.content import LEGAL_ENTITIES
from tests.gst.conftest import KA_GSTIN, MH_GSTIN, make_entity


@pytest.mark.parametrize("gstin", ["27AAPFU0939F1ZV", MH_GSTIN, KA_GSTIN])
def test_valid_gstins(gstin):
    assert gstin_problem(gstin) is None
    assert check_character(gstin[:14]) == gstin[14]


@pytest.mark.parametrize(
    ("gstin", "says"),
    [
        ("27AAPFU0939F1ZW", "check character"),
        ("27AAPFU0939F1Z", "15 characters"),
        ("28AAPFU0939F1ZV", "not a GST state code"),
        ("27aapfu0939f1zv ", None),  # lower case and spaces are tidied, then valid
    ],
)
def test_bad_gstins(gstin, says):
    if says is None:
        assert clean_gstin(gstin) == "27AAPFU0939F1ZV"
        return
    with pytest.raises(ValidationError, match=says):
        clean_gstin(gstin)


def test_gstin_of_another_state_is_refused_for_this_state():
    assert "registered in state 29" in gstin_problem(KA_GSTIN, "27")


@pytest.mark.django_db
def test_entity_form_errors():
    entity = make_entity()
    entity.gstin = "27AAACM1234A1Z9"
    entity.invoice_prefix = "MQ/MUMBAI"
    entity.pan = "AAACX1234A"
    with pytest.raises(ValidationError) as raised:
        entity.full_clean()
    errors = raised.value.message_dict
    assert "check character" in errors["gstin"][0]
    assert "16 characters" in errors["invoice_prefix"][0]
    entity.gstin = MH_GSTIN
    with pytest.raises(ValidationError) as raised:
        entity.full_clean()
    assert "inside the GSTIN" in raised.value.message_dict["pan"][0]


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.50", "Rupees zero and fifty paise only"),
        ("708.00", "Rupees seven hundred eight only"),
        ("150000.05", "Rupees one lakh fifty thousand and five paise only"),
        (
            "23456789.99",
            "Rupees two crore thirty-four lakh fifty-six thousand seven hundred eighty-nine and ninety-nine paise only",
        ),
    ],
)
def test_amounts_in_words(amount, words):
    assert rupees_in_words(Decimal(amount)) == words


@pytest.mark.django_db
def test_demo_entities_pass_the_editors_checks():
    entities = [ensure_legal_entity(spec) for spec in LEGAL_ENTITIES.values()]
    assert {entity.state_name for entity in entities} == {"Maharashtra", "Karnataka"}
    assert ensure_legal_entity(LEGAL_ENTITIES["MH"]) == entities[0]  # idempotent


@pytest.mark.django_db
def test_snippet_form_shows_the_gstin_error(superuser, client):
    client.force_login(superuser)
    response = client.post(
        "/admin/snippets/cinema/legalentity/add/",
        {
            "legal_name": "Marquee Cinemas",
            "address": "Mumbai",
            "state_code": "29",
            "gstin": MH_GSTIN,
            "invoice_prefix": "MQMUMBAI",
            "credit_note_prefix": "CNMH",
        },
    )
    assert response.status_code == 200  # the form again, with its errors; nothing saved
    page = response.content.decode()
    assert "registered in state 27" in page and "At most 4 characters" in page
