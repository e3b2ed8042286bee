"""Whether a customer has proved their e-mail address (allauth's code), as holds require.

Asked on every hold, so a yes is remembered in the cache: verification is never undone in
this product. The key carries the join time, so a reused user id never inherits it.
"""

from django.core.cache import cache

VERIFIED_TTL = 3600


def is_verified(user) -> bool:
    from allauth.account.models import EmailAddress

    if not user.is_authenticated:
        return False
    key = f"verified:{user.pk}:{user.date_joined.timestamp():.0f}"
    if cache.get(key):
        return True
    verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    if verified:
        cache.set(key, True, VERIFIED_TTL)
    return verified
