"""The signed-in user from the shared cache instead of a row read on every request.

Every API call and page for a signed-in customer loads their ``auth_user`` row (Django's
``get_user``); on the hold and checkout paths that is one round trip in five. The row changes
rarely (sign-in stamps ``last_login``, a password change, staff deactivating an account), so a
copy is kept in the cache under the user's own version counter (core/versions.py), read before
the row and bumped after every save or delete of the user commits: a copy read before a change
can never be used after it. The copy is also dropped at once on a save, for changes in a
transaction that has not committed yet.

A copy is used only as Django itself would use the row: the session's backend is still
configured, the account is active and the session's auth hash matches the copy's password
hash (so a password change signs other sessions out as before). Anything else (no copy, a
mismatch, a session signed with a fallback secret) goes to Django's own ``get_user``.
Permissions are never part of the copy: it is stored right after the row is read, before any
permission check fills the instance's permission caches. A queryset ``update()`` sends no
signal, so no copy outlives ``TTL``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from core import versions

TTL = 300
VERSION_TTL = 2 * TTL  # a lost or expired counter only means the next request reads the row


def copy_key(user_id) -> str:
    return f"auth:user:{user_id}"


def version_key(user_id) -> str:
    return f"v:user:{user_id}"


def _session_user(request) -> tuple[str | None, str | None]:
    session = request.session
    user_id, backend, session_hash = (session.get(k) for k in (auth.SESSION_KEY, auth.BACKEND_SESSION_KEY, auth.HASH_SESSION_KEY))
    if user_id is None or not session_hash or backend not in settings.AUTHENTICATION_BACKENDS:
        return None, None
    return str(user_id), session_hash


def _usable(user, user_id: str, session_hash: str) -> bool:
    return str(user.pk) == user_id and user.is_active and constant_time_compare(session_hash, user.get_session_auth_hash())


def cached_user(request):
    if hasattr(request, "_cached_user"):
        return request._cached_user
    user_id, session_hash = _session_user(request)
    user = version = None
    if user_id is not None:
        found = cache.get_many([copy_key(user_id), version_key(user_id)])
        version, entry = found.get(version_key(user_id)), found.get(copy_key(user_id))
        if version is not None and isinstance(entry, tuple) and entry[0] == version and _usable(entry[1], user_id, session_hash):
            user = entry[1]
        elif version is None:
            version = versions.current(version_key(user_id), timeout=VERSION_TTL).get(version_key(user_id))
    if user is None:
        user = auth.get_user(request)  # the row, read after the version: a later change moves it on
        if user.is_authenticated and version is not None and str(user.pk) == user_id:
            cache.set(copy_key(user_id), (version, user), TTL)
    request._cached_user = user
    return user


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with ``request.user`` read through the cache."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: cached_user(request))


def forget_user(sender, instance, **kwargs) -> None:
    cache.delete(copy_key(instance.pk))
    versions.bump(version_key(instance.pk), timeout=VERSION_TTL)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(forget_user, sender=get_user_model(), dispatch_uid=f"auth_cache.{signal}")
