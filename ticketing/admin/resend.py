"""Staff re-send a confirmed booking's tickets (the confirmation e-mail with its PDF), or a gift
card's code to its recipient.

A customer at the counter or on the phone lost the e-mail: Finance or Box office re-sends it.
Each re-send is a new sent-log row, enqueued after the commit, and lands in the audit log. A
gift card's code goes again only while it can still be redeemed."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.admin_access import RequirePermissionMixin
from ticketing.mail.notifications import staff_resend_gift_card, staff_resend_tickets
from ticketing.models import Booking, BookingState, GiftCard, GiftCardState
from ticketing.permissions import RESEND_TICKETS, VIEW_BOOKINGS


class ResendForm(forms.Form):
    """Nothing to fill in: the POST itself is the confirmation."""


class ResendTicketsView(RequirePermissionMixin, WagtailAdminTemplateMixin, FormView):
    admin_permission = RESEND_TICKETS
    template_name = "ticketing/admin/cancel.html"
    form_class = ResendForm
    page_title = "Re-send tickets"
    header_icon = "mail"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.booking = get_object_or_404(Booking.objects.select_related("user"), pk=kwargs["pk"])
        self.card = GiftCard.objects.filter(booking=self.booking).first() if self.booking.is_gift_card else None

    def get_page_subtitle(self):
        return self.booking.reference

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse("bookings:resend_tickets", args=[self.booking.pk]),
            summary=f"E-mail the tickets of {self.booking.reference} (PDF attached) to {self.booking.user.email} again.",
            submit_button_label="Re-send tickets",
            submit_button_active_label="Sending…",
        )
        if self.card is not None:
            context.update(
                summary=f"Send the code of gift card {self.booking.reference} to {self.card.recipient} again.",
                submit_button_label="Re-send gift card",
            )
        return context

    def get_page_title(self):
        return "Re-send gift card" if self.card is not None else self.page_title

    def form_valid(self, form):
        if self.card is not None:
            return self._resend_gift_card(form)
        if self.booking.state != BookingState.CONFIRMED:
            form.add_error(None, "Only a confirmed booking has tickets to send.")
            return self.form_invalid(form)
        staff_resend_tickets(self.booking, by=self.request.user)
        messages.success(self.request, f"Tickets for {self.booking.reference} are on their way to {self.booking.user.email}.")
        return self._done()

    def _resend_gift_card(self, form):
        refusals = {
            GiftCardState.PENDING: "This gift card is not paid for yet: it has no code to send.",
            GiftCardState.REDEEMED: "This gift card was redeemed already: its code no longer works.",
            GiftCardState.REFUNDED: "This gift card was refunded: its code no longer works.",
        }
        if self.card.state in refusals:
            form.add_error(None, refusals[self.card.state])
            return self.form_invalid(form)
        staff_resend_gift_card(self.booking, self.card, by=self.request.user)
        messages.success(self.request, f"The code of gift card {self.booking.reference} is on its way to {self.card.recipient}.")
        return self._done()

    def _done(self):
        if self.request.user.has_perm(VIEW_BOOKINGS):
            return redirect("bookings:inspect", self.booking.pk)
        return redirect("wagtailadmin_home")
