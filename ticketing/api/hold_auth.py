"""Session auth for the hold, reading the customer and the hold's cache copies together.

A hold asks the cache for the session, the customer's copy and the copies the hold reads
(the show's facts and prices, booking settings, whether the customer is verified). Read one
after another that is three round trips on the busiest call of a rush; here the customer's
copy is read with the hold's (core/auth_copy.py), which ``holds.hold_reads`` then finds
already there. The class keeps django-ninja's name: the OpenAPI document names the security
scheme after it, and it is the same scheme (the session cookie and the CSRF header).
"""

from __future__ import annotations

from ninja.security import session

from core import auth_copy
from ticketing.services import holds


class SessionAuth(session.SessionAuth):
    def authenticate(self, request, key):
        show_id = str((request.resolver_match.kwargs if request.resolver_match else {}).get("show_id", ""))
        # the path's show id as the view will get it; anything else is refused there (404, 422)
        plausible = show_id.isascii() and show_id.isdigit() and len(show_id) <= 10
        also = holds.read_keys(int(show_id), auth_copy.USER) if plausible else []
        user = auth_copy.cached_user(request, also=tuple(also))
        return user if user.is_authenticated else None


hold_auth = SessionAuth()
