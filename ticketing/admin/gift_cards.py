"""Finance refunds a gift card nobody redeemed: the code stops working and the buyer gets the
money back, to their wallet or the original payment method (ticketing/services/gift_cards.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.admin_access import RequirePermissionMixin
from core.money import format_inr
from ticketing.admin.forms import CancelForm
from ticketing.errors import BookingError
from ticketing.models import GiftCard
from ticketing.permissions import REFUND_GIFT_CARD
from ticketing.services import gift_cards


class RefundGiftCardView(RequirePermissionMixin, WagtailAdminTemplateMixin, FormView):
    admin_permission = REFUND_GIFT_CARD
    template_name = "ticketing/admin/cancel.html"
    form_class = CancelForm
    page_title = "Refund a gift card"
    header_icon = "tag"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        reference = str(kwargs["reference"])
        if not (reference.isascii() and reference.isalnum()):
            raise Http404("No such gift card.")
        self.card = get_object_or_404(GiftCard.objects.select_related("booking__user"), booking__reference=reference[:12])

    def get_page_subtitle(self):
        return self.card.booking.reference

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        card = self.card
        context.update(
            action_url=reverse("gift_card_refund", args=[card.booking.reference]),
            summary=(
                f"Refund {format_inr(card.amount)} to {card.booking.user.email}, who bought this card for "
                f"{card.recipient}. Its code (ending {card.code_last4}) stops working at once."
            ),
            submit_button_label="Refund the gift card",
            submit_button_active_label="Refunding…",
        )
        return context

    def form_valid(self, form):
        try:
            self.card = gift_cards.refund_gift_card(
                self.card, destination=form.cleaned_data["destination"], reason=form.cleaned_data["reason"], by=self.request.user
            )
        except BookingError as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(self.request, f"Gift card {self.card.booking.reference} is refunded; its code no longer works.")
        return redirect("reports:gift_cards")
