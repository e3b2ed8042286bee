"""django-csp's middleware, with the policy built once instead of on every response.

django-csp builds the header from the settings on each response (and again for the
report-only header): about a tenth of a millisecond that every hold, pay and seat poll paid
for the same string. A response that brings nothing of its own (no nonce asked for, no
``@csp_update``/``@csp_replace``/``@csp`` decorator, not a debug page) gets the header built
once from the settings' policy, set by django-csp's own rules (not over a header already
there, not on an exempt response or an excluded prefix); anything else is left to django-csp.
"""

from __future__ import annotations

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

# What a view's decorators leave on its response for django-csp (csp/decorators.py).
OWN_PARTS = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
DEBUG_PAGES = (404, 500)  # django-csp leaves these alone under DEBUG


class PrebuiltCSPMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self._built: tuple = ()

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, part) for part in OWN_PARTS)
            or (settings.DEBUG and response.status_code in DEBUG_PAGES)
        ):
            return super().process_response(request, response)
        policy, report_only = self._policies()
        _set(request, response, HEADER, policy, "_csp_exempt", "CONTENT_SECURITY_POLICY")
        _set(request, response, HEADER_REPORT_ONLY, report_only, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        # as django-csp: a nonce asked for after the header was written is an error, not a gap
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _policies(self) -> tuple[str, str]:
        """The two headers of the settings' own policies, built again when the settings' dicts
        are replaced (tests override them); the dicts are kept, so identity is enough."""
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        if not self._built or self._built[0] is not policy or self._built[1] is not report:
            self._built = (policy, report, build_policy(), build_policy(report_only=True))
        return self._built[2], self._built[3]


def _set(request, response, header: str, value: str, exempt: str, setting: str) -> None:
    if not value or header in response or getattr(response, exempt, False) is not False:
        return
    prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
    if not request.path_info.startswith(tuple(prefixes)):
        response[header] = value
