"""The admins' own login URLs lead to allauth's login, which rate-limits failed attempts
(and asks for the second factor): Wagtail's and Django's login views have no limit at all."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def to_guarded_login(request):
    """Redirect to allauth's login, keeping a safe `next` (the admin dashboard otherwise)."""
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect_to_login(target if target and safe else resolve_url("wagtailadmin_home"), "account_login")
