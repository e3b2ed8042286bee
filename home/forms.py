"""The sign-in form's wording, now that customers and staff share it; the mobile number fields."""

from allauth.account.forms import ChangePhoneForm, LoginForm
from django import forms
from django.utils.translation import gettext, gettext_lazy

from messaging.phones import TAKEN, normalize


class MarqueeLoginForm(LoginForm):
    """allauth's login form (e-mail or username) labelled for customers first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = gettext("E-mail address")
        field.help_text = gettext("Staff: your username.")
        field.widget.attrs.update({"placeholder": "you@example.com", "autocomplete": "email"})


class MobileNumberField(forms.CharField):
    """allauth's phone field, returning E.164 (+919876543210) whatever spacing was typed."""

    def __init__(self, **kwargs):
        kwargs["label"] = gettext_lazy("Mobile number")  # field.html adds "(optional)" to a field not required
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "placeholder": "98765 43210"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalize(value) if value else value


class MarqueeChangePhoneForm(ChangePhoneForm):
    """Adding a number someone else has is refused here, in words, rather than sending that
    number a text it did not ask for."""

    def clean_phone(self) -> str:
        phone = super().clean_phone()
        if self.account_already_exists:
            raise forms.ValidationError(TAKEN, code="phone_taken")
        return phone


class TextChannelsForm(forms.Form):
    sms = forms.BooleanField(required=False, label=gettext_lazy("Tickets and reminders by SMS"))
    whatsapp = forms.BooleanField(required=False, label=gettext_lazy("Tickets and reminders on WhatsApp"))
