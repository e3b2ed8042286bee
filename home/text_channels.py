"""The account page's "texts" form: SMS and WhatsApp on or off, for a verified number only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from home.forms import TextChannelsForm
from messaging.phones import set_channels


@login_required
@require_POST
def text_channels(request):
    form = TextChannelsForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose SMS, WhatsApp, both or neither."))
        return redirect("customer_account")
    try:
        set_channels(request.user, sms=form.cleaned_data["sms"], whatsapp=form.cleaned_data["whatsapp"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("customer_account")
    messages.success(request, gettext("Your message choices are saved. E-mail always comes as well."))
    return redirect("customer_account")
