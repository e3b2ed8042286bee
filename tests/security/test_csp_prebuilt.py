"""The Content-Security-Policy header built once (home/csp.py) is the one django-csp builds,
follows a change of the settings, and leaves decorated responses and excluded paths to
django-csp's own rules."""

import pytest
from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from home.csp import PrebuiltCSPMiddleware


def answer(middleware_class, response=None, path="/api/session"):
    middleware = middleware_class(lambda request: response or HttpResponse())
    request = RequestFactory().get(path)
    middleware.process_request(request)
    return middleware.process_response(request, response or HttpResponse())


@pytest.mark.django_db
def test_an_api_answer_carries_the_policy_django_csp_builds():
    response = Client().get("/api/session")
    assert response.status_code == 200
    assert response[HEADER] == build_policy() == answer(CSPMiddleware)[HEADER]
    assert "default-src" in response[HEADER]


def test_a_changed_policy_is_built_again():
    middleware = PrebuiltCSPMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/api/session")
    before = middleware.process_response(request, HttpResponse())[HEADER]
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert middleware.process_response(request, HttpResponse())[HEADER] == "default-src 'none'"
    assert middleware.process_response(request, HttpResponse())[HEADER] == before


def test_a_decorated_response_gets_its_own_policy():
    response = HttpResponse()
    response._csp_update = {"img-src": ["https://images.example.test"]}
    assert "https://images.example.test" in answer(PrebuiltCSPMiddleware, response)[HEADER]


def test_excluded_paths_and_existing_headers_are_left_alone():
    assert HEADER not in answer(PrebuiltCSPMiddleware, path="/admin/login/")
    own = HttpResponse()
    own[HEADER] = "default-src 'self'"
    assert answer(PrebuiltCSPMiddleware, own)[HEADER] == "default-src 'self'"
    assert answer(PrebuiltCSPMiddleware, own)[HEADER] == answer(CSPMiddleware, own)[HEADER]
