"""schemathesis against /api/openapi.json: every operation, every check (server errors, status
codes, content types, response bodies and headers against the schema, auth that is declared
and enforced), as a signed-in customer and as a box-office member, on the real views and
database. Examples are bounded and derandomized, so a run is repeatable.

Each operation runs twice per user: once with what schemathesis generates (unknown shows and
references: the refusals), once with the path pointed at a real show and the customer's own
held booking (the happy paths). Anything found is fixed in the code or the schema."""

import os

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.factories import make_user
from tests.fixtures.checkout import fund, signed_in

pytestmark = pytest.mark.django_db(transaction=False)
CSRF_TOKEN = "schemathesisCsrfToken00000000000"  # 32 characters, as Django's unmasked secret


# Loaded through the app itself, as a client would fetch it (no database is touched for it).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def session_of(user) -> dict:
    """What a signed-in browser sends: the session and CSRF cookies, and the CSRF header."""
    client = signed_in(user)
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_TOKEN},
        "headers": {"X-CSRFToken": CSRF_TOKEN},
    }


@pytest.fixture
def customer(alice, held, signed_in_as):
    fund(alice, 300)
    signed_in_as(alice)


@pytest.fixture
def box_office(db, signed_in_as):
    user = make_user(username="door", email="door@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Box office"))
    signed_in_as(user)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: the app's end-of-request hook would close the database
    connection, and with it the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


SIGNED_IN: dict = {}  # the running test's browser session, set by its user fixture


@schema.auth(refresh_interval=None)
class BrowserSession:
    """Signs each case in as the running test's user. Given as schemathesis auth, so its
    ignored-auth check knows the credentials and re-sends without them (and with made-up ones)."""

    def get(self, case, context):
        return SIGNED_IN.get("session")  # None while collecting: no credentials yet

    def set(self, case, data, context):
        case.cookies = {**(case.cookies or {}), **data["cookies"]}
        case.headers = {**(case.headers or {}), **data["headers"]}


@pytest.fixture
def signed_in_as():
    def sign_in(user):
        SIGNED_IN["session"] = session_of(user)

    yield sign_in
    SIGNED_IN.clear()


def aim_at_real_data(case, show, held):
    """Point the path at the show and the customer's own held booking."""
    if "show_id" in case.path_parameters:
        case.path_parameters["show_id"] = show.pk
    if "reference" in case.path_parameters:
        case.path_parameters["reference"] = held.reference


# MARQUEE_SCHEMATHESIS_EXAMPLES=200 make test PYTEST_ARGS=tests/security/test_api_contract.py digs deeper.
EXAMPLES = settings(
    max_examples=int(os.environ.get("MARQUEE_SCHEMATHESIS_EXAMPLES", "12")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@EXAMPLES
def test_as_a_customer(case, customer):
    case.call_and_validate()


@schema.parametrize()
@EXAMPLES
def test_as_a_customer_on_real_data(case, customer, show, held):
    aim_at_real_data(case, show, held)
    case.call_and_validate()


@schema.parametrize()
@EXAMPLES
def test_as_box_office(case, box_office, show, held):
    aim_at_real_data(case, show, held)
    case.call_and_validate()
