"""Admin hooks of the home app: the way from the admin account page to two-factor sign-in."""

from django.urls import reverse
from wagtail import hooks


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": reverse("mfa_index"),
        "label": "Two-factor sign-in",
        "help_text": "Set up an authenticator app and recovery codes, so a password alone cannot open your account.",
    }
