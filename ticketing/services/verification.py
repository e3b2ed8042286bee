"""Whether a customer has proved their e-mail address (allauth's code), as holds require.

Asked on every hold. The hold asks the database inside its own seat read (``verified_sql``)
for the price of an index probe, unless the cache already knows; ``is_verified`` (the other
callers) remembers a yes in the cache: verification is never undone in this product. The key
is the user id (so a request can read it before it has loaded the user, core/auth_copy.py) and
the value the join time, so a reused user id never inherits it.
"""

from django.core.cache import cache

from core import read_ahead

VERIFIED_TTL = 3600


def cache_key(user_id) -> str:
    return f"verified:{user_id}"


def _joined(user) -> int:
    return int(user.date_joined.timestamp())


def remembered(user) -> bool:
    """True when the cache already knows this customer is verified."""
    return read_ahead.get(cache_key(user.pk)) == _joined(user)


def remember(user) -> None:
    cache.set(cache_key(user.pk), _joined(user), VERIFIED_TTL)
    read_ahead.note(cache_key(user.pk), _joined(user))


def verified_sql(user) -> tuple[str, list]:
    """An SQL expression (and its parameter) that is true when the customer has a verified
    address, for a caller folding the question into a query it sends anyway."""
    from allauth.account.models import EmailAddress

    return f"EXISTS (SELECT 1 FROM {EmailAddress._meta.db_table} WHERE user_id = %s AND verified)", [user.pk]


def is_verified(user) -> bool:
    from allauth.account.models import EmailAddress

    if not user.is_authenticated:
        return False
    if remembered(user):
        return True
    verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    if verified:
        remember(user)
    return verified
