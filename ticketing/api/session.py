"""GET /api/session: who is signed in, for pages whose HTML is the same for everyone.

The show page is cached and served to every visitor alike (home/page_cache.py), so the header
("Your account" and "Sign out", or "Sign in"), the seat picker's sign-in note and staff's
"Edit this page" link are painted by static/js/session.js from this answer. Asking also sets
the `csrftoken` cookie that booking.js sends back on every POST.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from ninja import Field, Query, Router
from pydantic import ConfigDict
from wagtail.models import Page

from ticketing.api.contract import refusals
from ticketing.api.schemas import Schema

router = Router(tags=["session"])


class SessionQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    page: int | None = Field(None, ge=1, le=2**31 - 1, description="The page being shown: staff get its edit link.")


class SessionOut(Schema):
    authenticated: bool
    name: str | None = Field(..., description="The signed-in customer's first name or e-mail address.")
    account_url: str = Field(..., examples=["/account/"])
    login_url: str = Field(..., examples=["/accounts/login/"])
    logout_url: str = Field(..., description="POST here, with the CSRF token, to sign out.", examples=["/accounts/logout/"])
    staff_edit_url: str | None = Field(..., description="The page's editor in the Wagtail admin, for staff who may edit it.")


def _edit_url(user, page_id: int | None) -> str | None:
    if page_id is None or not user.has_perm("wagtailadmin.access_admin"):
        return None
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not page.permissions_for_user(user).can_edit():
        return None
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


@router.get(
    "/session",
    response={200: SessionOut, **refusals(422)},
    summary="Who is signed in (sets the CSRF cookie)",
)
def session(request, response: HttpResponse, query: Query[SessionQuery]):
    get_token(request)  # the csrftoken cookie for the page's forms and API calls
    response["Cache-Control"] = "private, no-store"
    user = request.user
    signed_in = user.is_authenticated
    return {
        "authenticated": signed_in,
        "name": (user.first_name or user.email or user.get_username()) if signed_in else None,
        "account_url": reverse("customer_account"),
        "login_url": reverse("account_login"),
        "logout_url": reverse("account_logout"),
        "staff_edit_url": _edit_url(user, query.page) if signed_in else None,
    }
