"""/healthz for the load balancer: 200 when the database and the task broker answer, else 503.

No session, no template, no auth: it must stay cheap and must not depend on anything but the
two services a web process cannot work without. The body says which one failed.

It is answered by the first middleware, before host validation and the HTTPS redirect: a
balancer probes each instance by its IP address over plain HTTP, a Host that ALLOWED_HOSTS
rightly refuses (400) and a scheme SECURE_SSL_REDIRECT would bounce."""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger("marquee.health")


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _broker() -> bool:
    from django_q.brokers import get_broker

    return bool(get_broker().ping())


HEALTHZ_PATHS = {"/healthz", "/healthz/"}


@never_cache
@require_safe
def healthz(request):
    checks = {}
    for name, probe in (("database", _database), ("broker", _broker)):
        try:
            checks[name] = "ok" if probe() else "failing"
        except Exception as exc:  # any failure is "down", never a 500
            log.warning("health check: %s failing: %s", name, type(exc).__name__)
            checks[name] = "failing"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "failing", **checks}, status=200 if healthy else 503)


class HealthzMiddleware:
    """Answers /healthz ahead of every other middleware (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in HEALTHZ_PATHS:
            return healthz(request)
        return self.get_response(request)
