"""GST fixtures: a Maharashtra legal entity on the default show's theater, and Alice's paid booking."""

import pytest

from cinema.models import LegalEntity, TheaterPage
from tests.counter.conftest import seller, shift, supervisor  # noqa: F401  (the counter's fixtures)
from tests.tickets.conftest import confirm

MH_GSTIN = "27AAACM1234A1Z8"  # check character computed by core.gstin
KA_GSTIN = "29AAACM1234A1Z4"


def make_entity(**kwargs) -> LegalEntity:
    values = {
        "legal_name": "Marquee Cinemas Private Limited",
        "address": "12 Linking Road, Bandra West, Mumbai 400050",
        "state_code": "27",
        "gstin": MH_GSTIN,
        "pan": "AAACM1234A",
        "invoice_prefix": "MQMH",
        "credit_note_prefix": "CNMH",
    }
    values.update(kwargs)
    return LegalEntity.objects.create(**values)


@pytest.fixture
def entity(show):
    entity = make_entity()
    TheaterPage.objects.filter(pk=show.screen.theater_id).update(legal_entity=entity)
    return entity


@pytest.fixture
def paid(entity, as_alice, alice, show):
    """A1–A3 (Classic, ₹200 each), paid from Alice's wallet."""
    return confirm(as_alice, alice, show, ["A1", "A2", "A3"])
