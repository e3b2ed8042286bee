"""The words django-allauth shows customers on the sign-in, sign-up, code and phone pages, kept
here so `make messages` puts them in locale/: allauth ships no Hindi catalog, and Django looks
in LOCALE_PATHS first, so allauth's own gettext calls find these translations. Nothing imports
this module; it only lists msgids, exactly as allauth spells them."""

from django.utils.translation import gettext_noop, pgettext_lazy

FORM_LABELS = (
    gettext_noop("Password"),
    gettext_noop("Remember Me"),
    gettext_noop("Username"),
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Email (again)"),
    gettext_noop("Email address confirmation"),
    gettext_noop("Phone"),
    gettext_noop("Password (again)"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Code"),
    gettext_noop("Username or email"),
    gettext_noop("Email or phone"),
)
REFUSALS = (
    gettext_noop("You must type the same password each time."),
    gettext_noop("You must type the same email each time."),
    gettext_noop("This account is currently inactive."),
    gettext_noop("You cannot remove your primary email address."),
    gettext_noop("This email address is already associated with this account."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("The phone number and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Please type your current password."),
    gettext_noop("Incorrect code."),
    gettext_noop("Incorrect password."),
    gettext_noop("Invalid or expired key."),
    gettext_noop("Invalid login."),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("A user is already registered with this phone number."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("The phone number is not assigned to any user account."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("The username and/or password you specified are not correct."),
    gettext_noop("The new value must be different from the current one."),
    gettext_noop("Be patient, you are sending too many requests."),
)
PAGES = (
    gettext_noop("Sign In"),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("Request Code"),
    gettext_noop("Other sign-in options"),
    gettext_noop("Enter Sign-In Code"),
    gettext_noop("Change Phone"),
    pgettext_lazy("action", "Change Phone"),
    gettext_noop("Current phone"),
    gettext_noop("Re-send Verification"),
    gettext_noop("Change to"),
    gettext_noop("Phone Verification"),
    gettext_noop("Enter Phone Verification Code"),
    gettext_noop("Use a different phone number"),
    gettext_noop("Request new code"),
    gettext_noop("You will receive a special code for a password-free sign-in."),
    gettext_noop("Your phone number is still pending verification."),
)
