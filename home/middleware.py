"""Staff whose role requires two-factor sign-in set it up before any admin page opens."""

from contextlib import suppress

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from home.mfa_policy import must_enrol

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
ENROL_MESSAGE = (
    "Your role requires two-factor sign-in. Confirm your password, then set up an authenticator app to continue to the admin."
)


class RequireMfaMiddleware:
    """Sends a signed-in user who must enrol (home.mfa_policy) from /admin/… and /django-admin/…
    to allauth's authenticator-app set-up. Everything else (the public site, the API, sign-in,
    the set-up pages, static files) and the admin's own sign-out are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._guarded(request) and must_enrol(request.user):
            messages.warning(request, ENROL_MESSAGE)
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _guarded(request) -> bool:
        if not request.path.startswith(ADMIN_PREFIXES):
            return False
        if not request.user.is_authenticated:
            return False  # the admin sends them to sign in
        return request.path not in _sign_in_and_out()


def _sign_in_and_out() -> set[str]:
    paths = {reverse("wagtailadmin_logout"), reverse("wagtailadmin_login")}
    with suppress(NoReverseMatch):  # no Django admin in production
        paths.add(reverse("admin:logout"))
    return paths
