"""The language switcher (header and account page): Django's set_language, plus the account.

The header is part of pages cached for everyone (docs/DESIGN.md §11) and carries no CSRF token,
so the switch is CSRF-exempt: forging it only changes a visitor's language. It sets Django's
language cookie, and for a signed-in customer the choice is also kept on the account
(messaging.languages), so their e-mails and texts use it and signing in elsewhere brings it back.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import LANGUAGE_QUERY_PARAMETER, JavaScriptCatalog, set_language

from messaging import languages


@csrf_exempt
@require_POST
def switch_language(request):
    response = set_language(request)
    code = languages.supported(request.POST.get(LANGUAGE_QUERY_PARAMETER))
    if code and getattr(request, "user", None) is not None:
        languages.remember(request.user, code)
    return response


CATALOG_SECONDS = 24 * 3600  # the URL names the version (marquee tag js_catalog_url), so a deploy is seen at once


@require_GET
def js_catalog(request, language: str):
    """The words static/js/*.js show, in `language`: Django's JavaScript catalog (djangojs
    domain, locale/), served from here (no CDN). The language is in the address, so cached pages
    of each language point at their own catalog and browsers may keep it."""
    code = languages.supported(language)
    if code is None:
        raise Http404("No such language.")
    with translation.override(code):
        response = JavaScriptCatalog.as_view(domain="djangojs", packages=[])(request)
    response["Cache-Control"] = f"public, max-age={CATALOG_SECONDS}"
    return response


def restore_on_sign_in(sender, request, user, response=None, **kwargs) -> None:
    """allauth's user_logged_in: bring back the language the customer chose before."""
    code = languages.chosen(user.pk) if response is not None else None
    if code is None:
        return
    translation.activate(code)  # the rest of this request (the "signed in" message) speaks it too
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def connect() -> None:
    from allauth.account.signals import user_logged_in

    user_logged_in.connect(restore_on_sign_in, dispatch_uid="marquee.restore_language")
