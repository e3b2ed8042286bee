"""The food stand's pickup screen in the Wagtail admin: type or scan a pickup code, see the
items to hand over. A hand-held scanner types the code and presses Enter; the form posts here
and ticketing.services.pickup.collect() decides, once."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.admin_access import RequirePermissionMixin
from ticketing.permissions import HAND_OVER_FOOD
from ticketing.services.pickup import collect

HEADLINES = {
    "handed_over": "Hand over",
    "already_collected": "Already collected",
    "cancelled": "Cancelled",
    "invalid": "Invalid code",
}


class PickupForm(forms.Form):
    code = forms.CharField(max_length=40, label="Pickup code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autocomplete="off", autocapitalize="characters", spellcheck="false", autofocus=True, placeholder="FD2K7P9QXA"
        )


class PickupView(RequirePermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "ticketing/admin/pickup.html"
    form_class = PickupForm
    admin_permission = HAND_OVER_FOOD
    page_title = "Food pickup"
    header_icon = "pick"
    breadcrumbs_items = []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("ticketing_pickup")
        return context

    def form_valid(self, form):
        outcome = collect(form.cleaned_data["code"], by=self.request.user)
        result = {
            "result": outcome.result,
            "headline": HEADLINES[outcome.result],
            "message": outcome.message,
            "items": outcome.items,
            "booking": outcome.pickup.booking.reference if outcome.pickup else "",
            "collected_at": outcome.collected_at,
        }
        return self.render_to_response(self.get_context_data(form=self.get_form_class()(), result=result))
