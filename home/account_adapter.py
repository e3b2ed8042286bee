"""allauth, fitted to a box office with both customers and staff signing in through it.

- The client's address comes from core.client_ip, so allauth's per-IP limits count real
  clients behind the load balancer (and a forged X-Forwarded-For is never believed).
- Staff may sign in with their username; their e-mail is their employer's, so the customers'
  mandatory e-mail verification is skipped for anyone who may open the admin.
- Staff without a `next` land on the admin dashboard, customers on their account page.
- The per-account failed-login limit counts the account, not the text typed: "finance" and
  "finance@marquee.example" share one allowance instead of having one each.
- Mobile numbers (messaging.phones) back allauth's phone support: numbers are stored E.164,
  codes are texted through the sent-log, and a mobile sign-in shares its account's allowance.
"""

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.stages import EmailVerificationStage
from allauth.account.utils import filter_users_by_email, filter_users_by_username
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.client_ip import client_ip
from home.forms import MobileNumberField
from messaging import otp, phones

ACCESS_ADMIN = "wagtailadmin.access_admin"
EMAIL_STAGE = "allauth.account.stages.EmailVerificationStage"


def is_staff_member(user) -> bool:
    """Someone who works in the admin (any staff group, or a superuser)."""
    return bool(user and user.is_authenticated and user.has_perm(ACCESS_ADMIN))


class CustomerEmailVerificationStage(EmailVerificationStage):
    """allauth's verification stage for customers only: staff go straight on."""

    def handle(self):
        if is_staff_member(self.login.user):
            return None, True
        return super().handle()


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def get_login_stages(self) -> list[str]:
        stage = f"{CustomerEmailVerificationStage.__module__}.{CustomerEmailVerificationStage.__qualname__}"
        return [stage if path == EMAIL_STAGE else path for path in super().get_login_stages()]

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """allauth keys login_failed's per-account limit by this; one key per account whichever
        way it is named (an unknown name keeps allauth's own key)."""
        if credentials.get("email"):
            users = filter_users_by_email(credentials["email"])
        elif credentials.get("phone"):
            users = [user] if (user := phones.user_by_phone(credentials["phone"])) else []
        elif credentials.get("username"):
            users = list(filter_users_by_username(credentials["username"])[:2])
        else:
            users = []
        if len(users) == 1:
            return f"user:{users[0].pk}"
        return super()._get_login_attempts_cache_key(request, **credentials)

    def get_login_redirect_url(self, request) -> str:
        if is_staff_member(request.user):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

    def phone_form_field(self, **kwargs):
        return MobileNumberField(**kwargs)

    def get_phone(self, user):
        return phones.get_phone(user)

    def get_user_by_phone(self, phone):
        return phones.user_by_phone(phone)

    def set_phone(self, user, phone, verified):
        phones.set_phone(user, phone, verified)

    def set_phone_verified(self, user, phone):
        """Also the end of "add a number" on the account page: the number is attached only once
        its code came back, so nobody can park a number they do not hold."""
        try:
            phones.set_phone(user, phone, True)
        except ValidationError as exc:
            raise self.validation_error("phone_taken") from exc

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        minutes = max(allauth_settings.PHONE_VERIFICATION_TIMEOUT, allauth_settings.LOGIN_BY_CODE_TIMEOUT) // 60
        otp.send_code(user, phone, code, minutes)
