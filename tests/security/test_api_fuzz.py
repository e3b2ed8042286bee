"""Property-based fuzz of the JSON API: every operation in /api/openapi.json, called by a
signed-in customer with arbitrary path values, query strings and JSON bodies (valid-looking
and not), never answers a 5xx.

Each example runs against the real views and database (Alice's own held booking is one of the
references tried, so the happy paths are reached too)."""

import json
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True), st.text(max_size=40)
)
JSON_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12
)
SEAT_LABELS = st.lists(st.sampled_from(["A1", "A2", "A3", "B4", "Z99", "", "a1", "A" * 30]) | st.text(max_size=6), max_size=8)
BODIES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries({"seats": SEAT_LABELS}),
    st.fixed_dictionaries({"code": st.text(max_size=30) | st.sampled_from(["TEN", "ten", ""])}),
    st.fixed_dictionaries({"use_wallet": st.booleans() | JSON_VALUES}),
)
PATH_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)


def operations():
    from ticketing.api import api

    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]


def fill(path: str, show_id: int, reference: str, draw) -> str:
    """Replace {show_id} / {reference} with a known-good value or an arbitrary one."""
    if "{show_id}" in path:
        value = draw(st.sampled_from([str(show_id)]) | st.integers(min_value=-(2**40), max_value=2**63).map(str) | PATH_TEXT)
        path = path.replace("{show_id}", quote(value, safe=""))
    if "{reference}" in path:
        value = draw(st.sampled_from([reference, "MQZZZZZZZZ"]) | PATH_TEXT)
        path = path.replace("{reference}", quote(value, safe=""))
    return path


@pytest.mark.parametrize("method,path", operations())
def test_no_operation_answers_5xx(method, path, alice, show, held):
    client = Client()
    client.force_login(alice)
    from tests.fixtures.checkout import fund

    fund(alice, 500)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def run(data):
        url = fill(path, show.pk, held.reference, data.draw)
        query = data.draw(
            st.dictionaries(st.sampled_from(["date", "movie", "city", "page", "x"]), st.text(max_size=20), max_size=3)
        )
        if query:
            url += "?" + urlencode(query)
        if method in ("POST", "PUT", "PATCH"):
            raw = json.dumps(data.draw(BODIES), allow_nan=True)
            response = client.generic(method, url, raw, content_type="application/json")
        else:
            response = client.generic(method, url)
        assert response.status_code < 500, (method, url, response.status_code, response.content[:300])

    run()
