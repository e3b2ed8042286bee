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

One round trip: the session's data, the user's copy and version (and whatever else a caller
names, ``also``) come together from Redis, the user's keys completed there from a hint the
session's key points at (its user's id, written with the copy; config/cache.py
``get_by_hint``). A hint that is missing or names someone else only costs the round trips it
saved; the session's own user id decides, as before.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare

from core import versions

TTL = 300
VERSION_TTL = 2 * TTL  # a lost or expired counter only means the next request reads the row
HINT_TTL = 24 * 3600
USER = "{hint}"  # in a key of ``also``: the session's user id


def copy_key(user_id) -> str:
    return f"auth:user:{user_id}"


def version_key(user_id) -> str:
    return f"v:user:{user_id}"


def hint_key(session_key: str) -> str:
    return f"auth:session-user:{session_key}"


def _session_user(request) -> tuple[str | None, str | None]:
    session = request.session
    user_id, backend, session_hash = (session.get(k) for k in (auth.SESSION_KEY, auth.BACKEND_SESSION_KEY, auth.HASH_SESSION_KEY))
    if user_id is None or not session_hash or backend not in settings.AUTHENTICATION_BACKENDS:
        return None, None
    return str(user_id), session_hash


def _usable(user, user_id: str, session_hash: str) -> bool:
    return str(user.pk) == user_id and user.is_active and constant_time_compare(session_hash, _auth_hash(user))


def _auth_hash(user) -> str:
    """Django's session auth hash of the copy: an HMAC of its password hash under the secret
    key, and of nothing else (``AbstractBaseUser.get_session_auth_hash``), so it is worked out
    once per password hash and key in this process instead of on every request."""
    key = (user.password, settings.SECRET_KEY)
    found = _AUTH_HASHES.get(key)
    if found is None:
        if len(_AUTH_HASHES) >= AUTH_HASHES_KEPT:
            _AUTH_HASHES.clear()
        found = _AUTH_HASHES[key] = user.get_session_auth_hash()
    return found


AUTH_HASHES_KEPT = 10_000
_AUTH_HASHES: dict[tuple[str, str], str] = {}


def _first_reads(request, also: tuple[str, ...]) -> tuple[str | None, dict]:
    """The session's cached data (given to the session), then the hint and every other key
    read with it, ``{hint}`` filled in; (None, {}) where the cache or the session cannot."""
    session = request.session
    read = getattr(cache, "get_by_hint", None)
    prime = getattr(session, "prime", None)
    if read is None or prime is None or not session.session_key or settings.SESSION_CACHE_ALIAS != "default":
        return None, {}
    if session.loaded():  # read already (a middleware asked it something)
        return None, {}
    hint, found = read(hint_key(session.session_key), [session.cache_key, copy_key(USER), version_key(USER), *also])
    data = found.pop(session.cache_key)
    if isinstance(data, dict):
        prime(data)
    if hint is None:
        return None, {}
    return hint, {key.replace(USER, hint): value for key, value in found.items()}


def cached_user(request, also: tuple[str, ...] = ()):
    """``also``: more keys to read in the same round trip (``USER`` in one stands for the
    session's user id); what was read is kept for ``first_reads``."""
    if hasattr(request, "_cached_user"):
        return request._cached_user
    hint, found = _first_reads(request, also)
    user_id, session_hash = _session_user(request)
    user = version = None
    if user_id is not None:
        if hint != user_id:  # no hint, or another user's: read the copy on its own
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
    hinted = getattr(cache, "get_by_hint", None) is not None
    if hinted and user_id is not None and hint != user_id and user.is_authenticated and request.session.session_key:
        cache.set(hint_key(request.session.session_key), int(user_id), HINT_TTL)  # for the next request
    request._cached_user = user
    request._first_reads = found if hint == user_id else {}
    return user


def first_reads(request) -> dict:
    """The ``also`` keys ``cached_user`` read for this request (None: missing), or {}."""
    return getattr(request, "_first_reads", {})


def forget_user(sender, instance, **kwargs) -> None:
    cache.delete(copy_key(instance.pk))
    versions.bump(version_key(instance.pk), timeout=VERSION_TTL)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(forget_user, sender=get_user_model(), dispatch_uid=f"auth_cache.{signal}")
