"""The sign-in form's wording, now that customers and staff share it."""

from allauth.account.forms import LoginForm


class MarqueeLoginForm(LoginForm):
    """allauth's login form (e-mail or username) labelled for customers first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = "E-mail address"
        field.help_text = "Staff: your username."
        field.widget.attrs.update({"placeholder": "you@example.com", "autocomplete": "email"})
