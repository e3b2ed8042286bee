"""The WSGI handler gunicorn serves (config/handler.py) takes each request apart when the server
closes its response, so a request leaves nothing for the cyclic garbage collector."""

import gc
import json

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import RequestFactory

from config.handler import Handler

pytestmark = pytest.mark.django_db


def serve(handler, client, method: str, path: str, body=None) -> str:
    """One request through ``handler`` as gunicorn drives it: call, read the body, close."""
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    extra = {"HTTP_COOKIE": cookie, "HTTP_HOST": "testserver"}
    factory = RequestFactory()
    if method == "POST":
        token = client.cookies["csrftoken"].value
        environ = factory.post(path, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token, **extra).environ
    else:
        environ = factory.get(path, **extra).environ
    answered = {}
    # As Django's test client does: the test's transaction keeps its connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = handler(environ, lambda status, headers: answered.setdefault("status", status))
        b"".join(response)
        response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return answered["status"]


def cyclic_garbage(call) -> list:
    """What the collector would have to find after ``call``: objects only reachable in cycles."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        call()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    client.get("/api/session")  # sets the CSRF cookie
    assert "csrftoken" in client.cookies
    return client


def test_a_signed_in_request_leaves_no_cyclic_garbage(signed_in):
    handler = Handler()
    serve(handler, signed_in, "GET", "/api/session")  # warm: lazily built module state is not garbage

    def requests():
        for _ in range(3):
            assert serve(handler, signed_in, "GET", "/api/session").startswith("200")

    assert cyclic_garbage(requests) == []


def test_a_refused_hold_leaves_no_cyclic_garbage(signed_in, show, bob):
    handler = Handler()
    other = type(signed_in)()
    other.force_login(bob)
    other.get("/api/session")
    assert serve(handler, other, "POST", f"/api/shows/{show.pk}/holds", {"seats": ["A1"]}).startswith("201")

    def refused():
        assert serve(handler, signed_in, "POST", f"/api/shows/{show.pk}/holds", {"seats": ["A1"]}).startswith("409")

    refused()
    assert cyclic_garbage(refused) == []


def test_django_s_own_handler_leaves_the_request_in_cycles(signed_in):
    """Why the handler exists: the same request through Django's leaves a knot of garbage."""
    handler = WSGIHandler()
    serve(handler, signed_in, "GET", "/api/session")
    garbage = cyclic_garbage(lambda: serve(handler, signed_in, "GET", "/api/session"))
    assert any(type(thing).__name__ == "WSGIRequest" for thing in garbage)


def test_gunicorn_serves_that_handler():
    from config import wsgi

    assert isinstance(wsgi.application, Handler)
