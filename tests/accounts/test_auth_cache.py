"""The signed-in user comes from the cache (core/auth_copy.py) without weakening sign-out:
a password change, a deactivation or a deletion is seen by the next request, and a copy read
before a change is never used after it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import versions
from core.auth_copy import copy_key, version_key
from tests.factories import make_customer
from tests.fixtures.checkout import committed, signed_in

User = get_user_model()


def whoami(client) -> dict:
    response = client.get("/api/session")
    assert response.status_code == 200
    return response.json()


def user_reads(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        whoami(client)
    return sum(User._meta.db_table in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_second_request_reads_no_user_row():
    browser = signed_in(make_customer())
    assert user_reads(browser) == 1
    assert user_reads(browser) == 0
    assert whoami(browser)["authenticated"] is True


@pytest.mark.django_db
def test_a_password_change_signs_other_sessions_out_at_once():
    customer = make_customer()
    other = signed_in(customer)
    assert whoami(other)["authenticated"]
    customer.set_password("a-brand-new-password-9")
    customer.save()
    assert whoami(other)["authenticated"] is False


@pytest.mark.django_db
def test_a_deactivated_account_is_signed_out_at_once():
    customer = make_customer()
    browser = signed_in(customer)
    assert whoami(browser)["authenticated"]
    customer.is_active = False
    with committed():
        customer.save()
    assert whoami(browser)["authenticated"] is False


@pytest.mark.django_db
def test_a_deleted_account_is_signed_out_at_once():
    customer = make_customer()
    browser = signed_in(customer)
    assert whoami(browser)["authenticated"]
    User.objects.filter(pk=customer.pk).delete()
    assert whoami(browser)["authenticated"] is False


@pytest.mark.django_db
def test_a_copy_read_before_a_change_is_never_used_after_it():
    """The race the version counter closes: a request reads the row, the change commits and
    bumps the counter, and only then does the first request store its (old) copy."""
    customer = make_customer()
    browser = signed_in(customer)
    whoami(browser)
    version = versions.current(version_key(customer.pk))[version_key(customer.pk)]
    stale = User.objects.get(pk=customer.pk)
    customer.is_active = False
    with committed():
        customer.save()
    cache.set(copy_key(customer.pk), (version, stale), 300)  # the late write of the old row
    assert whoami(browser)["authenticated"] is False


@pytest.mark.django_db
def test_a_copy_for_another_user_id_is_refused():
    alice, bob = make_customer(), make_customer()
    browser = signed_in(alice)
    whoami(browser)
    version = versions.current(version_key(alice.pk))[version_key(alice.pk)]
    cache.set(copy_key(alice.pk), (version, bob), 300)
    assert user_reads(browser) == 1  # not bob: the row is read again
    assert whoami(browser)["authenticated"] is True


@pytest.mark.django_db
def test_the_remembered_session_hash_is_djangos_and_follows_the_password_and_the_key(settings):
    """The session auth hash is worked out once per password hash and secret key
    (core/auth_copy.py): it is Django's own, and a new password or key gives a new one."""
    from core.auth_copy import _auth_hash

    customer = make_customer()
    assert _auth_hash(customer) == customer.get_session_auth_hash()
    before = _auth_hash(customer)
    customer.set_password("another-password-42")
    assert _auth_hash(customer) == customer.get_session_auth_hash() != before
    settings.SECRET_KEY = "a-different-secret-key-" + "x" * 40
    assert _auth_hash(customer) == customer.get_session_auth_hash()
    assert _auth_hash(customer) != before
