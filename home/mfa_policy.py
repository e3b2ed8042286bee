"""Who must use two-factor sign-in: the groups in MARQUEE_MFA_REQUIRED_GROUPS (the token
"superusers" standing for every superuser). Finance moves money, so in production its
members and the superusers cannot open the admin on a password alone."""

from allauth.mfa.models import Authenticator
from django.conf import settings

SUPERUSERS = "superusers"


def mfa_required(user) -> bool:
    """Whether the settings require this user to sign in with a second factor."""
    if not user or not user.is_authenticated:
        return False
    names = set(settings.MARQUEE_MFA_REQUIRED_GROUPS)
    if SUPERUSERS in names and user.is_superuser:
        return True
    groups = names - {SUPERUSERS}
    return bool(groups) and user.groups.filter(name__in=groups).exists()


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_enrol(user) -> bool:
    """Required to use two-factor sign-in but no authenticator app set up yet."""
    return mfa_required(user) and not has_totp(user)
