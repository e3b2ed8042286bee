"""The WSGI handler gunicorn runs: Django's, with each request taken apart once it is answered.

A Django request is a knot of reference cycles (the lazy ``request.user`` and ``request.auser``
close over the request, the messages storage points back at it), so nothing it holds (the
session, the user, the resolver match, the messages, the parsed body: some 60 objects) is freed
when the response is sent; the cyclic collector finds them later. At a few hundred requests a
second that garbage alone set off a collection in every worker every few seconds, each a pause
of 10–16 ms of CPU (35–50 ms on a busy two-core host) for every request that worker was serving
(docs/performance.md). Emptying the request's attributes when the server closes the response
(Django closes the request then) breaks the knot, and reference counting frees it all at once.
"""

from __future__ import annotations

from django.core.handlers.wsgi import WSGIHandler, WSGIRequest


class Request(WSGIRequest):
    def close(self):
        try:
            super().close()
        finally:
            self.__dict__.clear()


class Handler(WSGIHandler):
    request_class = Request
