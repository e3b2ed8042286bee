"""Passwords are hashed with Argon2id at OWASP's minimum (config/hashers.py); a PBKDF2 hash made
before still signs in and is re-hashed with Argon2id then."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings

from config.settings import base
from tests.accounts.helpers import PASSWORD, make_customer
from tests.accounts.test_login import sign_in, signed_in_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production_hashers")]


@pytest.fixture
def production_hashers():
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        yield


def test_a_new_password_is_an_argon2id_hash_at_owasps_minimum():
    encoded = make_password("correct horse battery staple")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("correct horse battery staple", encoded)
    assert not check_password("wrong", encoded)


def test_a_pbkdf2_password_still_signs_in_and_is_upgraded(client):
    customer = make_customer(email="ada@example.com")
    customer.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    customer.save(update_fields=["password"])
    assert identify_hasher(customer.password).algorithm == "pbkdf2_sha256"

    response = sign_in(client, "ada@example.com")

    assert response.status_code == 302 and signed_in_as(client) == str(customer.pk)
    customer.refresh_from_db()
    assert customer.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, customer.password)


def test_a_wrong_password_against_a_pbkdf2_hash_changes_nothing(client):
    customer = make_customer(email="ada@example.com")
    customer.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    customer.save(update_fields=["password"])
    before = customer.password

    response = sign_in(client, "ada@example.com", password="not the password")

    assert response.status_code == 200 and signed_in_as(client) is None
    customer.refresh_from_db()
    assert customer.password == before
