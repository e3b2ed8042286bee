"""Customers' mobile numbers: parsing, storing, verifying, channels and the masked display.

allauth's phone support (home/account_adapter.py) calls these, so numbers are always stored as
E.164 (+919876543210) whatever the customer typed ("98765 43210", "+91 98765-43210").
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_lazy

from messaging.models import Channel, MobileNumber

VIEW_FULL_PHONE = "messaging.view_customer_phone"
VIEW_TEXTS = "messaging.view_sentmessage"
INVALID = gettext_lazy("Enter a valid mobile number, e.g. 98765 43210.")
TAKEN = gettext_lazy("This mobile number is already on another Marquee account.")


def normalize(raw: str) -> str:
    """The E.164 form of a mobile number the customer typed, or a ValidationError saying why
    not (malformed, not a mobile, or a country we do not text)."""
    try:
        number = phonenumbers.parse(str(raw or "").strip(), settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID, code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID, code="invalid_phone")
    if phonenumbers.region_code_for_number(number) not in settings.MARQUEE_PHONE_REGIONS:
        raise ValidationError(gettext("We can only text Indian mobile numbers (+91)."), code="phone_country")
    kind = phonenumbers.number_type(number)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationError(gettext("That is not a mobile number."), code="not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def get_phone(user) -> tuple[str, bool] | None:
    row = MobileNumber.objects.filter(user=user).first()
    return (str(row.number), row.verified) if row else None


def user_by_phone(phone: str):
    try:
        phone = normalize(phone)
    except ValidationError:
        return None
    row = MobileNumber.objects.filter(number=phone).select_related("user").first()
    return row.user if row and row.user.is_active else None


@transaction.atomic
def set_phone(user, phone: str, verified: bool) -> MobileNumber:
    """A new number replaces the old one and starts unverified, with texts off until it is."""
    phone = normalize(phone)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if MobileNumber.objects.filter(number=phone).exclude(user=user).exists():
        raise ValidationError(TAKEN, code="phone_taken")
    try:
        with transaction.atomic():
            row, created = MobileNumber.objects.get_or_create(user=user, defaults={"number": phone, "verified": verified})
            if not created and (str(row.number) != phone or row.verified != verified):
                if str(row.number) != phone:
                    row.sms_opt_in = row.whatsapp_opt_in = False
                row.number, row.verified = phone, verified
                row.save()
    except IntegrityError:  # another account took it a moment ago
        raise ValidationError(TAKEN, code="phone_taken") from None
    return row


def set_channels(user, *, sms: bool, whatsapp: bool) -> None:
    """Opt in or out of texts; only a verified number can be opted in."""
    row = MobileNumber.objects.filter(user=user).first()
    if (sms or whatsapp) and not (row and row.verified):
        raise ValidationError(gettext("Verify your mobile number before choosing SMS or WhatsApp."), code="unverified")
    if row:
        MobileNumber.objects.filter(pk=row.pk).update(sms_opt_in=sms, whatsapp_opt_in=whatsapp)


def channels_for(user_id) -> tuple[str | None, list[str]]:
    """The verified number and the channels its owner chose (e-mail always goes as well)."""
    row = MobileNumber.objects.filter(user_id=user_id, verified=True).first()
    if not row:
        return None, []
    return str(row.number), chosen_channels(row.sms_opt_in, row.whatsapp_opt_in)


def chosen_channels(sms_opt_in: bool, whatsapp_opt_in: bool) -> list[str]:
    return [channel for channel, on in ((Channel.SMS, sms_opt_in), (Channel.WHATSAPP, whatsapp_opt_in)) if on]


def channels_join(user_param: str = "%s") -> tuple[str, str]:
    """For a statement that reads channels_for's answer alongside something else: (the columns
    number, sms, whatsapp — NULL when the customer has no verified number —, a LEFT JOIN to
    follow a one-row FROM item, with ``user_param`` for the customer's id)."""
    table = MobileNumber._meta.db_table
    return (
        "m.number, m.sms_opt_in, m.whatsapp_opt_in",
        f"LEFT JOIN {table} m ON m.user_id = {user_param} AND m.verified",
    )


def masked(phone: str) -> str:
    """+91 ••••• ••210: enough to tell numbers apart on the phone, not enough to dial."""
    if not phone:
        return ""
    digits = phone.removeprefix("+91")
    return f"+91 ••••• ••{digits[-3:]}" if phone.startswith("+91") else f"{phone[:3]} ••••••{phone[-3:]}"


def shown_to(staff, phone: str) -> str:
    return phone if staff.has_perm(VIEW_FULL_PHONE) else masked(phone)
