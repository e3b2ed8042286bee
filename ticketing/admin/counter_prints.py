"""What the counter prints and what a supervisor does after a sale: the 80 mm ticket slip
(HTML print view or PDF), the shift's Z-report, and voiding a sale."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.admin_access import RequirePermissionMixin
from ticketing.admin.counter import SellerOrSupervisorMixin
from ticketing.errors import BookingError
from ticketing.models import ShiftState
from ticketing.permissions import SUPERVISE_COUNTER
from ticketing.services import counter_sales, counter_shifts
from ticketing.services.counter_receipt import render_receipt_html, render_receipt_pdf


class ReceiptView(SellerOrSupervisorMixin, View):
    """The printable tickets of a counter sale: ?format=pdf for the PDF."""

    def get(self, request, reference):
        try:
            sale = counter_sales.counter_sale(request.user, reference, supervisor=self.supervisor)
        except BookingError:
            raise Http404("No such counter sale.") from None
        if sale.booking.state != "confirmed":
            return HttpResponse("This sale was voided; its tickets are no longer valid.", status=410, content_type="text/plain")
        if request.GET.get("format") == "pdf":
            response = HttpResponse(render_receipt_pdf(sale), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="marquee-{sale.booking.reference}.pdf"'
            return response
        return HttpResponse(render_receipt_html(sale, back_url=reverse("counter:sell", args=[sale.booking.show_id])))


class ZReportView(SellerOrSupervisorMixin, WagtailAdminTemplateMixin, TemplateView):
    """A shift's cash-up: float, takings per method and show, refunds, expected and counted
    cash and the variance; printable. Running figures while the shift is open."""

    template_name = "ticketing/admin/counter/z_report.html"
    page_title = "Z-report"
    header_icon = "doc-full"
    breadcrumbs_items = []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            shift = counter_shifts.visible_shift(self.request.user, kwargs["pk"])
        except BookingError:
            raise Http404("No such shift.") from None
        closed = shift.state == ShiftState.CLOSED
        figures = shift.summary if closed else counter_shifts.shift_totals(shift).as_api()
        context.update(
            shift=shift,
            closed=closed,
            figures=figures,
            sales=shift.sales.select_related("booking").order_by("created_at"),
            can_void=self.supervisor and not closed,
        )
        return context


class VoidSaleView(RequirePermissionMixin, View):
    admin_permission = SUPERVISE_COUNTER

    def post(self, request, reference):
        try:
            booking = counter_sales.void_sale(request.user, reference, request.POST.get("reason", ""))
        except BookingError as refusal:
            messages.error(request, refusal.message)
        else:
            refunded = f"₹{booking.total} refunded" if booking.total else "complimentary, nothing to refund"
            messages.success(request, f"Sale {booking.reference} voided ({refunded}); seats back on sale.")
        back = request.POST.get("next", "")
        return redirect(back if _safe(back) else "counter:home")


def _safe(url) -> bool:
    return isinstance(url, str) and url.startswith("/admin/") and "//" not in url
