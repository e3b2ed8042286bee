"""The API's published contract beyond what django-ninja writes on its own: the refusal bodies
each status carries, `Retry-After` on 429, `ETag` and `Cache-Control` where an operation
answers 304, and how to authenticate (the session cookie, and the
CSRF header on POST, PUT and DELETE), so tools and generated clients know both."""

from __future__ import annotations

from ninja import NinjaAPI

from ticketing.api.schemas import Refusal, ValidationRefusal

UNSAFE = {"post", "put", "patch", "delete"}
SESSION = "SessionAuth"  # the scheme django-ninja declares for django_auth / SessionAuth
CSRF = "CSRFToken"
RETRY_AFTER = {
    "description": "Seconds until the limit's minute is over.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 60},
}
ETAG = {
    "description": "The seat map's version for this viewer (weak); send it back in `If-None-Match`. "
    "Absent only when the version cache could not answer.",
    "schema": {"type": "string", "pattern": '^W/"[0-9]+\\.[0-9a-f]+"$'},
}
CACHE_CONTROL = {
    "description": "`private, no-cache`: a browser may keep the answer but asks again (If-None-Match) before using it.",
    "required": True,
    "schema": {"type": "string", "enum": ["private, no-cache"]},
}
DESCRIPTIONS = {
    304: "Not modified: the seat map is still the one your `If-None-Match` names; no body.",
    400: "Refused: a booking rule (`detail` says why), or a body that is not JSON.",
    401: "Not signed in.",
    403: "Signed in, but not allowed: CSRF header missing, e-mail not verified, or a staff permission missing.",
    404: "No such show or booking (another customer's booking answers the same).",
    409: "Conflicts with the current state (e.g. a payment still being set up).",
    422: "The request does not match the schema.",
    429: "Too many attempts this minute.",
    503: "The payment service is not answering; nothing changed and the hold is kept.",
}


def refusals(*statuses: int) -> dict[int, type]:
    """The refusal body of each status, for an operation's `response=`."""
    return {status: ValidationRefusal if status == 422 else Refusal for status in statuses}


class MarqueeAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {})
        schemes = components.setdefault("securitySchemes", {})
        schemes[SESSION] = {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Sign in at /accounts/login/; the browser sends the session cookie.",
        }
        schemes[CSRF] = {
            "type": "apiKey",
            "in": "header",
            "name": "X-CSRFToken",
            "description": "The value of the `csrftoken` cookie, on every POST, PUT and DELETE.",
        }
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if operation.get("security") and method in UNSAFE:
                    operation["security"] = [{SESSION: [], CSRF: []}]
                conditional = 304 in {int(status) for status in operation.get("responses", {})}
                for status, response in operation.get("responses", {}).items():
                    code = int(status)
                    if code in DESCRIPTIONS:
                        response["description"] = DESCRIPTIONS[code]
                    if code == 429:
                        response.setdefault("headers", {})["Retry-After"] = RETRY_AFTER
                    if code in (200, 304) and conditional:
                        response.setdefault("headers", {}).update({"ETag": ETAG, "Cache-Control": CACHE_CONTROL})
        return schema
